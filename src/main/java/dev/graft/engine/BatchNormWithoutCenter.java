package dev.graft.engine;

import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * A BatchNormalization with {@code center=False} has no beta, and DL4J's importer fails on it (a NullPointerException
 * copying the missing array). Adding beta = 0 computes exactly what Keras does, so the engine gets that instead.
 */
final class BatchNormWithoutCenter {
    private BatchNormWithoutCenter() {
    }

    /**
     * For training there is no such beta to add: DL4J would learn it, and Keras's layer has none to write it back to. Refused
     * with the layer's name (DL4J's importer failed on it with a NullPointerException).
     */
    static void refuseTraining(Layer layer) {
        if (!"BatchNormalization".equals(layer.className()) || layer.config().path("center").asBoolean(true)) return;
        throw new EngineException("layer '" + layer.name() + "' (BatchNormalization with center=False) cannot train in graft's engine:"
                + " DL4J's BatchNormalization always learns a beta, which Keras's layer does not have");
    }

    static Layer withZeroBeta(Layer layer) {
        if (!"BatchNormalization".equals(layer.className()) || layer.config().path("center").asBoolean(true)) return layer;
        Weight mean = null;
        for (Weight w : layer.weights()) if ("moving_mean".equals(w.role())) mean = w;
        if (mean == null) return layer;
        String name = mean.name().replace("moving_mean", "beta");
        HostArray zeros = mean.dtype() == dev.graft.model.DType.FLOAT64
                ? HostArray.ofDoubles(mean.shape(), new double[Math.toIntExact(mean.size())])
                : HostArray.ofFloats(mean.shape(), new float[Math.toIntExact(mean.size())]);
        List<Weight> weights = new ArrayList<>();
        for (Weight w : layer.weights()) {
            if (w == mean) weights.add(Weight.inMemory(name, zeros, false));
            weights.add(w);
        }
        var config = layer.config().deepCopy();
        config.put("center", true);
        return layer.withConfig(config).withWeights(weights);
    }
}
