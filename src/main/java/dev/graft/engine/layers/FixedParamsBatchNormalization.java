package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link BatchNormalization} for a Keras layer without beta ({@code center=False}) or without gamma
 * ({@code scale=False}): DL4J's layer always has both, so the missing one enters as zeros (beta) or ones (gamma), which
 * computes what Keras computes, and {@link FixedParamsBatchNormalizationRuntime} keeps it there in training (its gradient
 * is zero, so no updater moves it) while gamma, beta and the moving statistics Keras has train as DL4J trains them.
 * DL4J's own {@code lockGammaBeta} fixes both at once and drops them from the parameters; this fixes either, keeping the
 * parameters every imported BatchNormalization has (write-back reads them by name).
 */
public class FixedParamsBatchNormalization extends BatchNormalization {
    private boolean fixedGamma;
    private boolean fixedBeta;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public FixedParamsBatchNormalization() {
    }

    /** The same layer with gamma and/or beta kept at their values. */
    public static FixedParamsBatchNormalization copyOf(BatchNormalization parsed, boolean fixedGamma, boolean fixedBeta) {
        FixedParamsBatchNormalization l = LayerRecast.as(parsed, FixedParamsBatchNormalization.class);
        l.fixedGamma = fixedGamma;
        l.fixedBeta = fixedBeta;
        return l;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        // As BatchNormalization.instantiate, with the runtime that keeps the fixed parameters.
        LayerValidation.assertNOutSet("BatchNormalization", getLayerName(), layerIndex, getNOut());
        return RuntimeWiring.wire(new FixedParamsBatchNormalizationRuntime(conf, networkDataType), this, conf, listeners, layerIndex, paramsView, initializeParams);
    }

    public boolean isFixedGamma() { return fixedGamma; }
    public void setFixedGamma(boolean fixedGamma) { this.fixedGamma = fixedGamma; }
    public boolean isFixedBeta() { return fixedBeta; }
    public void setFixedBeta(boolean fixedBeta) { this.fixedBeta = fixedBeta; }

    @Override
    public FixedParamsBatchNormalization clone() {
        FixedParamsBatchNormalization c = (FixedParamsBatchNormalization) super.clone();
        c.fixedGamma = fixedGamma;
        c.fixedBeta = fixedBeta;
        return c;
    }
}
