package dev.graft.engine.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What DL4J's layer configurations do in {@code instantiate} to the runtime they make: listeners, index, the parameter
 * view and the table of parameters laid over it, the configuration. graft's configuration subclasses make their own
 * runtimes (the computation differs, the wiring does not) and hand them here.
 */
final class RuntimeWiring {
    private RuntimeWiring() {
    }

    static <R extends org.deeplearning4j.nn.api.Layer> R wire(R runtime, Layer config, NeuralNetConfiguration conf,
                                                              Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView,
                                                              boolean initializeParams) {
        runtime.setListeners(listeners);
        runtime.setIndex(layerIndex);
        runtime.setParamsViewArray(paramsView);
        runtime.setParamTable(config.initializer().init(conf, paramsView, initializeParams));
        runtime.setConf(conf);
        return runtime;
    }
}
