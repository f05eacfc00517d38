package dev.graft.engine;

import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * A BatchNormalization with {@code center=False} has no beta, and DL4J's importer fails on it (a NullPointerException
 * copying the missing array). Adding beta = 0 computes exactly what Keras does, so the engine gets that instead; the
 * config says so ({@value #ADDED_BETA}), and for training the engine keeps that beta at 0 ({@link BatchNormFixedParams}).
 */
final class BatchNormWithoutCenter {
    /** Config key marking a beta of zeros the engine added, which training must not move. */
    static final String ADDED_BETA = "graft_added_beta";

    private BatchNormWithoutCenter() {
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
        config.put(ADDED_BETA, true);
        return layer.withConfig(config).withWeights(weights);
    }
}
