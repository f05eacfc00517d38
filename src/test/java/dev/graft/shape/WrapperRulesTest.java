package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.assertShapes;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.infer;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static dev.graft.shape.ShapeAssertions.sn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WrapperRulesTest {
    /** keras/models/tfkeras__rnn_101.h5 (tf.keras 2.2.4): Bidirectional(LSTM(6, return_sequences=True)). */
    private static final String TF_KERAS_BI_LSTM = "{'name': 'bidirectional_62', 'trainable': true, 'dtype': 'float32',"
            + " 'layer': {'class_name': 'LSTM', 'config': {'name': 'lstm_73', 'trainable': true, 'dtype': null,"
            + " 'return_sequences': true, 'return_state': false, 'go_backwards': false, 'stateful': false,"
            + " 'unroll': false, 'time_major': false, 'units': 6, 'activation': 'tanh',"
            + " 'recurrent_activation': 'hard_sigmoid', 'use_bias': true, 'kernel_initializer': {'class_name':"
            + " 'GlorotUniform', 'config': {'seed': null, 'dtype': 'float32'}}, 'unit_forget_bias': true,"
            + " 'dropout': 0.0, 'recurrent_dropout': 0.0, 'implementation': 1}}, 'merge_mode': 'concat'}";

    @Test
    void bidirectionalConcatDoublesTheLastAxis() {
        assertShape("(None, 10, 12)", one("Bidirectional", TF_KERAS_BI_LSTM, s(10, 3)));
        assertShape("(None, 12)", one("Bidirectional",
                TF_KERAS_BI_LSTM.replace("'return_sequences': true", "'return_sequences': false"), s(10, 3)));
    }

    @Test
    void bidirectionalMergeModes() {
        assertShape("(None, 10, 6)", one("Bidirectional", TF_KERAS_BI_LSTM.replace("'concat'", "'sum'"), s(10, 3)));
        assertShape("(None, 10, 6)", one("Bidirectional", TF_KERAS_BI_LSTM.replace("'concat'", "'mul'"), s(10, 3)));
        assertShape("(None, 10, 6)", one("Bidirectional", TF_KERAS_BI_LSTM.replace("'concat'", "'ave'"), s(10, 3)));
        // merge_mode None: forward and backward outputs separately
        assertShapes("[(None, 10, 6), (None, 10, 6)]",
                infer("Bidirectional", TF_KERAS_BI_LSTM.replace("'concat'", "null"), s(10, 3)));
        // absent merge_mode: Keras's default, concat
        assertShape("(None, 10, 12)", one("Bidirectional",
                TF_KERAS_BI_LSTM.replace(", 'merge_mode': 'concat'", ""), s(10, 3)));
        assertEquals("Bidirectional has unknown merge_mode 'max' (expected concat, sum, mul, ave or null)",
                error("Bidirectional", TF_KERAS_BI_LSTM.replace("'concat'", "'max'"), s(10, 3)));
    }

    @Test
    void bidirectionalStatesFollowTheOutputs() {
        String withState = TF_KERAS_BI_LSTM.replace("'return_state': false", "'return_state': true");
        // output, forward h and c, backward h and c
        assertShapes("[(None, 10, 12), (None, 6), (None, 6), (None, 6), (None, 6)]",
                infer("Bidirectional", withState, s(10, 3)));
        assertShapes("[(None, 10, 6), (None, 10, 6), (None, 6), (None, 6), (None, 6), (None, 6)]",
                infer("Bidirectional", withState.replace("'concat'", "null"), s(10, 3)));
        String gru = "{'layer': {'class_name': 'GRU', 'config': {'units': 5, 'return_state': true}}, 'merge_mode': 'sum'}";
        assertShapes("[(None, 5), (None, 5), (None, 5)]", infer("Bidirectional", gru, s(10, 3)));
    }

    /** wild/nslkdd_conv1d_bn_bilstm_tf210.h5 style, Keras 3 spelling: the inner layer carries module keys. */
    @Test
    void keras3BidirectionalAndBackwardLayer() {
        String k3 = "{'name': 'bidirectional', 'trainable': true, 'dtype': {'module': 'keras', 'class_name': 'DTypePolicy',"
                + " 'config': {'name': 'float32'}, 'registered_name': null}, 'merge_mode': 'concat',"
                + " 'layer': {'module': 'keras.layers', 'class_name': 'LSTM', 'config': {'name': 'forward_lstm',"
                + " 'units': 64, 'return_sequences': false}, 'registered_name': null},"
                + " 'backward_layer': {'module': 'keras.layers', 'class_name': 'LSTM', 'config': {'name': 'backward_lstm',"
                + " 'units': 64, 'return_sequences': false, 'go_backwards': true}, 'registered_name': null}}";
        assertShape("(None, 128)", one("Bidirectional", k3, s(61, 64)));
    }

    /** keras/models/tfkeras__convlstm2d_0.h5: Keras concatenates on the last axis even for channels_first. */
    @Test
    void bidirectionalConvLstmChannelsFirstConcatenatesTheLastAxis() {
        String config = "{'name': 'bidirectional', 'layer': {'class_name': 'ConvLSTM2D', 'config': {'name': 'conv_lst_m2d',"
                + " 'return_sequences': true, 'return_state': false, 'go_backwards': true, 'filters': 4,"
                + " 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same', 'data_format': 'channels_first',"
                + " 'dilation_rate': [1, 1]}}, 'merge_mode': 'concat'}";
        assertShape("(None, 5, 4, 8, 16)", one("Bidirectional", config, s(5, 2, 8, 8)));
    }

    @Test
    void bidirectionalErrors() {
        assertEquals("Bidirectional wraps 'Dense', which is not a recurrent layer",
                error("Bidirectional", "{'layer': {'class_name': 'Dense', 'config': {'units': 3}}}", s(10, 3)));
        assertEquals("Bidirectional: LSTM needs a rank-3 input (batch, timesteps, features), got (None, 3)",
                error("Bidirectional", TF_KERAS_BI_LSTM, s(3)));
        assertEquals("Bidirectional: config has no wrapped layer under 'layer'", error("Bidirectional", "{}", s(10, 3)));
    }

    /** wild/seq2seq_lstm_2in_k38.keras (Keras 3.8): TimeDistributed(Dense(1)) after an LSTM(64). */
    @Test
    void timeDistributedDense() {
        String k3 = "{'name': 'time_distributed_1', 'trainable': true, 'dtype': {'module': 'keras', 'class_name':"
                + " 'DTypePolicy', 'config': {'name': 'float32'}, 'registered_name': null}, 'layer': {'module':"
                + " 'keras.layers', 'class_name': 'Dense', 'config': {'name': 'dense_1', 'trainable': true, 'units': 1,"
                + " 'activation': 'linear', 'use_bias': true}, 'registered_name': null, 'build_config':"
                + " {'input_shape': [null, 64]}}}";
        assertShape("(None, 60, 1)", one("TimeDistributed", k3, s(60, 64)));
        // wild/eng_katakana_seq2seq_2in_k224.h5 (Keras 2.2.4): TimeDistributed(Dense(89, softmax))
        String k2 = "{'name': 'time_distributed_1', 'trainable': true, 'layer': {'class_name': 'Dense', 'config':"
                + " {'name': 'dense_1', 'trainable': true, 'units': 89, 'activation': 'softmax', 'use_bias': true}}}";
        assertShape("(None, 45, 89)", one("TimeDistributed", k2, s(45, 64)));
        assertShape("(None, None, 89)", one("TimeDistributed", k2, sn(null, 64L)));
    }

    @Test
    void timeDistributedOverImages() {
        // each of 5 frames: Conv2D valid 28 -> 26, then a time axis in front again
        String conv = "{'layer': {'class_name': 'Conv2D', 'config': {'filters': 8, 'kernel_size': 3}}}";
        assertShape("(None, 5, 26, 26, 8)", one("TimeDistributed", conv, s(5, 28, 28, 1)));
        String flatten = "{'layer': {'class_name': 'Flatten', 'config': {}}}";
        assertShape("(None, 5, 784)", one("TimeDistributed", flatten, s(5, 28, 28, 1)));
        assertEquals("TimeDistributed applied to each time step of (None, 5, 32): Conv2D needs a rank-4 input"
                        + " (batch, height, width, channels), got (None, 32)",
                error("TimeDistributed", conv, s(5, 32)));
        assertEquals("TimeDistributed needs an input of rank 3 or more (batch, timesteps, ...), got (None, 32)",
                error("TimeDistributed", conv, s(32)));
    }

    /** keras/models/keras__simple__lstm_tf_model.h5: Keras 1's TimeDistributedDense. */
    @Test
    void keras1TimeDistributedDense() {
        String config = "{'input_length': null, 'W_constraint': null, 'b_constraint': null, 'name': 'timedistributeddense_1',"
                + " 'activity_regularizer': null, 'trainable': true, 'init': 'glorot_uniform', 'bias': true,"
                + " 'input_dim': null, 'b_regularizer': null, 'W_regularizer': null, 'activation': 'linear', 'output_dim': 3}";
        assertShape("(None, 7, 3)", one("TimeDistributedDense", config, s(7, 5)));
    }
}
