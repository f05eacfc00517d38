package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.assertShapes;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.infer;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static dev.graft.shape.ShapeAssertions.sn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.model.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RecurrentRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU"})
    void lastStepOrEverySteps(String cls) {
        assertShape("(None, 32)", one(cls, "{'units': 32, 'return_sequences': false}", s(10, 6)));
        assertShape("(None, 10, 32)", one(cls, "{'units': 32, 'return_sequences': true}", s(10, 6)));
        // an unknown number of steps stays unknown
        assertShape("(None, None, 32)", one(cls, "{'units': 32, 'return_sequences': true}", sn(null, 6L)));
        assertShape("(7, 32)", one(cls, "{'units': 32}", Shape.of(7L, 10L, 6L)));
    }

    @Test
    void returnStateAddsTheFinalStates() {
        // LSTM carries h and c, GRU and SimpleRNN only h; each is (batch, units)
        assertShapes("[(None, 10, 8), (None, 8), (None, 8)]",
                infer("LSTM", "{'units': 8, 'return_sequences': true, 'return_state': true}", s(10, 3)));
        assertShapes("[(None, 8), (None, 8), (None, 8)]",
                infer("LSTM", "{'units': 8, 'return_sequences': false, 'return_state': true}", s(10, 3)));
        assertShapes("[(None, 8), (None, 8)]", infer("GRU", "{'units': 8, 'return_state': true}", s(10, 3)));
        assertShapes("[(None, 10, 8), (None, 8)]",
                infer("SimpleRNN", "{'units': 8, 'return_sequences': true, 'return_state': true}", s(10, 3)));
    }

    /** wild/eng_katakana_seq2seq_2in_k224.h5: the decoder LSTM is called on [x, h, c]. */
    @Test
    void initialStatesDoNotShapeTheOutput() {
        assertShapes("[(None, 45, 64)]", infer("LSTM", "{'units': 64, 'return_sequences': true}",
                s(45, 32), s(64), s(64)));
    }

    /** wild/sentiment_embedding_gru_k36.h5, Keras 3.6: DTypePolicy object, reset_after, seed. */
    @Test
    void keras3Gru() {
        String config = "{'name': 'gru', 'trainable': true, 'dtype': {'module': 'keras', 'class_name': 'DTypePolicy',"
                + " 'config': {'name': 'float32'}, 'registered_name': null}, 'return_sequences': false,"
                + " 'return_state': false, 'go_backwards': false, 'stateful': false, 'unroll': false,"
                + " 'zero_output_for_mask': false, 'units': 40, 'activation': 'tanh', 'recurrent_activation': 'sigmoid',"
                + " 'use_bias': true, 'dropout': 0.0, 'recurrent_dropout': 0.0, 'reset_after': true, 'seed': null}";
        assertShape("(None, 40)", one("GRU", config, s(35, 4)));
    }

    /** keras/io/simple_lstm_th_keras_1_model.h5: Keras 1 names units 'output_dim'. */
    @Test
    void keras1Lstm() {
        String config = "{'inner_activation': 'hard_sigmoid', 'trainable': true, 'inner_init': 'orthogonal',"
                + " 'output_dim': 50, 'unroll': false, 'consume_less': 'cpu', 'init': 'glorot_uniform',"
                + " 'dropout_U': 0.0, 'input_dtype': 'float32', 'batch_input_shape': [null, 1, 1],"
                + " 'input_length': null, 'dropout_W': 0.2, 'activation': 'tanh', 'stateful': false,"
                + " 'name': 'lstm_1', 'go_backwards': false, 'input_dim': 1, 'return_sequences': false,"
                + " 'forget_bias_init': 'one'}";
        assertShape("(None, 50)", one("LSTM", config, s(1, 1)));
        assertShape("(None, 1, 50)", one("LSTM", config.replace("'return_sequences': false",
                "'return_sequences': true"), s(1, 1)));
    }

    @Test
    void timeMajorPutsTimeFirst() {
        assertShapes("[(10, None, 8), (None, 8), (None, 8)]", infer("LSTM",
                "{'units': 8, 'time_major': true, 'return_sequences': true, 'return_state': true}",
                Shape.of(10L, null, 3L)));
        assertEquals("LSTM needs a rank-3 input (timesteps, batch, features), got (None, 3)",
                error("LSTM", "{'units': 8, 'time_major': true}", s(3)));
    }

    @Test
    void genericRnnWithKerasCells() {
        assertShapes("[(None, 10, 16), (None, 16), (None, 16)]", infer("RNN",
                "{'cell': {'class_name': 'LSTMCell', 'config': {'units': 16}}, 'return_sequences': true,"
                        + " 'return_state': true}", s(10, 3)));
        // stacked: output has the last cell's units; states are every cell's, in order
        assertShapes("[(None, 4), (None, 8), (None, 8), (None, 4)]", infer("RNN",
                "{'cell': {'class_name': 'StackedRNNCells', 'config': {'cells': ["
                        + "{'class_name': 'LSTMCell', 'config': {'units': 8}},"
                        + "{'class_name': 'GRUCell', 'config': {'units': 4}}]}}, 'return_state': true}", s(10, 3)));
        assertEquals("RNN with cell 'MinimalRNNCell': output shape unknown to graft",
                error("RNN", "{'cell': {'class_name': 'MinimalRNNCell', 'config': {'units': 4}}}", s(10, 3)));
    }

    @Test
    void recurrentErrors() {
        assertEquals("LSTM needs a rank-3 input (batch, timesteps, features), got (None, 28, 28, 1)",
                error("LSTM", "{'units': 8}", s(28, 28, 1)));
        assertEquals("GRU needs a known last (features) dimension to size its weights, got (None, 10, None)",
                error("GRU", "{'units': 8}", sn(10L, null)));
        assertEquals("SimpleRNN: config has no 'units' (nor 'output_dim')", error("SimpleRNN", "{}", s(10, 3)));
    }

    /**
     * tfkeras__convlstm2d_1.h5 (tf.keras 2.2.4): ConvLSTM2D, 4 filters, 3x3 same, channels_first;
     * the time axis stays right after the batch.
     */
    @Test
    void convLstm2d() {
        String config = "{'name': 'conv_lst_m2d_2', 'trainable': true, 'dtype': 'float32', 'return_sequences': true,"
                + " 'return_state': false, 'go_backwards': true, 'stateful': false, 'unroll': false,"
                + " 'time_major': false, 'filters': 4, 'kernel_size': [3, 3], 'strides': [1, 1], 'padding': 'same',"
                + " 'data_format': 'channels_first', 'dilation_rate': [1, 1], 'activation': 'tanh',"
                + " 'recurrent_activation': 'hard_sigmoid', 'use_bias': true, 'unit_forget_bias': true}";
        assertShape("(None, 5, 4, 8, 8)", one("ConvLSTM2D", config, s(5, 2, 8, 8)));
        // channels_last, valid 8 - 3 + 1 = 6, last step only, with the (h, c) states
        String last = config.replace("channels_first", "channels_last").replace("'same'", "'valid'")
                .replace("'return_sequences': true", "'return_sequences': false")
                .replace("'return_state': false", "'return_state': true");
        assertShapes("[(None, 6, 6, 4), (None, 6, 6, 4), (None, 6, 6, 4)]", infer("ConvLSTM2D", last, s(5, 8, 8, 2)));
        assertShape("(None, None, 4, 4, 3)", one("ConvLSTM2D",
                "{'filters': 3, 'kernel_size': 3, 'strides': 2, 'padding': 'same', 'return_sequences': true}",
                sn(null, 8L, 8L, 2L)));
        assertShape("(None, 10, 6)", one("ConvLSTM1D", "{'filters': 6, 'kernel_size': 3}", s(4, 12, 2)));
        assertEquals("ConvLSTM2D needs a rank-5 input (batch, timesteps, channels, height, width), got (None, 8, 8)",
                error("ConvLSTM2D", config, s(8, 8)));
        assertEquals("ConvLSTM2D input (None, 5, 2, 2, 8) is too small: spatial axis 1 would have size 0"
                        + " with kernel 3, stride 1, dilation 1 and 'valid' padding",
                error("ConvLSTM2D", config.replace("'same'", "'valid'"), s(5, 2, 2, 8)));
    }
}
