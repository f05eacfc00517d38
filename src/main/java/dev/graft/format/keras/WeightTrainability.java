package dev.graft.format.keras;

import java.util.Set;

/**
 * Which weights training may change, as Keras counts them in {@code summary()}: everything of a
 * trainable layer except the statistics a layer accumulates rather than learns.
 */
final class WeightTrainability {
    /** Batch-norm moving statistics (Keras 2/3 and Keras 1 names), Normalization's adapted state, RNG state. */
    private static final Set<String> ACCUMULATED = Set.of("moving_mean", "moving_variance", "running_mean", "running_std",
            "mean", "variance", "count", "seed_generator_state");

    private WeightTrainability() {
    }

    static boolean trainable(boolean layerTrainable, String className, String role) {
        if (!layerTrainable) return false;
        if (role.equals("mean") || role.equals("variance") || role.equals("count")) return !"Normalization".equals(className);
        return !ACCUMULATED.contains(role);
    }
}
