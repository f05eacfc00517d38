package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link TimeDistributed} (a feed-forward layer applied to every step of a sequence), with a
 * runtime that also works as a network's output: see {@link SequenceTimeDistributedRuntime}.
 * Configuration, parameters and shape rules are DL4J's.
 */
public class SequenceTimeDistributed extends TimeDistributed {

    /** As {@link TimeDistributed}'s constructor, which DL4J's JSON (configurations, zips) calls too. */
    public SequenceTimeDistributed(@JsonProperty("underlying") Layer underlying, @JsonProperty("rnnDataFormat") RNNFormat rnnDataFormat) {
        super(underlying, rnnDataFormat);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        // As TimeDistributed.instantiate, with this class's runtime.
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(((TimeDistributed) inner.getLayer()).getUnderlying());
        return new SequenceTimeDistributedRuntime(underlying.instantiate(inner, trainingListeners, layerIndex, layerParamsView,
                initializeParams, networkDataType), getRnnDataFormat());
    }
}
