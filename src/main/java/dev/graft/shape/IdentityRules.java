package dev.graft.shape;

import java.util.List;

/**
 * Layers that act element-wise or per-feature (activations, dropout and noise, normalization,
 * masking): the output tensor has the input's shape.
 */
final class IdentityRules {
    private IdentityRules() {}

    static void register(RuleRegistry r) {
        r.add(call -> List.of(call.onlyInput()),
                // activations
                "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax",
                // Keras 1 advanced activations
                "ParametricSoftplus", "SReLU",
                // regularization and noise
                "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
                "GaussianNoise", "GaussianDropout", "ActivityRegularization",
                // normalization and scaling
                "BatchNormalization", "LayerNormalization", "RMSNormalization", "UnitNormalization", "GroupNormalization",
                "Normalization", "Rescaling",
                // other shape-preserving layers
                "Masking", "Identity", "Highway");
    }
}
