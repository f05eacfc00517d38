package dev.graft.engine.keras;

import dev.graft.engine.layers.KerasReshapePreprocessor;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.core.KerasReshape;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;

/**
 * DL4J Keras-import plug-in for Keras's {@code Reshape}: DL4J's own import, with its reshaping step
 * replaced by {@link KerasReshapePreprocessor}, which takes the batch size from the array (DL4J's
 * uses the last training batch's and fails on other row counts once the network has trained) and
 * restores the input's shape in the order the array has it in the backward pass (DL4J's gives a
 * sequence's gradient back as (batch, features, steps) and an image's as (batch, channels, h, w)
 * whatever their layout). The engine hands Reshape layers to DL4J under {@value #KERAS_CLASS}; call
 * {@link #register()} before {@code KerasModelImport}.
 */
public class KerasReshapeImport extends KerasReshape {

    /** The class name the engine gives Reshape layers in the files it hands DL4J. */
    public static final String KERAS_CLASS = "GraftReshape";

    /** Registers the plug-in with DL4J's Keras import; calling it again changes nothing. */
    public static void register() {
        KerasLayer.registerCustomLayer(KERAS_CLASS, KerasReshapeImport.class);
    }

    /** The constructor DL4J's import calls for a registered custom layer. */
    public KerasReshapeImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
    }

    @Override
    public InputPreProcessor getInputPreprocessor(InputType... inputType) throws InvalidKerasConfigurationException {
        InputPreProcessor p = super.getInputPreprocessor(inputType);
        if (!(p instanceof ReshapePreprocessor r) || p instanceof KerasReshapePreprocessor) return p;
        return new KerasReshapePreprocessor(inputShape(inputType[0], r.getInputShape()), r.getTargetShape(), r.isHasMiniBatchDimension(),
                r.getFormat());
    }

    /** A sample's shape in the order its array holds it; DL4J's own order where the layout is not known. */
    private static long[] inputShape(InputType in, long[] dl4jOrder) {
        if (in instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() > 0) {
            return r.getFormat() == RNNFormat.NCW ? new long[] {r.getSize(), r.getTimeSeriesLength()}
                    : new long[] {r.getTimeSeriesLength(), r.getSize()};
        }
        if (in instanceof InputType.InputTypeConvolutional c) {
            return c.getFormat() == CNN2DFormat.NHWC ? new long[] {c.getHeight(), c.getWidth(), c.getChannels()}
                    : new long[] {c.getChannels(), c.getHeight(), c.getWidth()};
        }
        return dl4jOrder;
    }
}
