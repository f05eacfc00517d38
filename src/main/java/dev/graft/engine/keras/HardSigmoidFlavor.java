package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;

/**
 * Which Keras defined the {@code hard_sigmoid} a file names: Keras 2 / tf.keras ({@code 0.2x + 0.5})
 * or Keras 3 ({@code x/6 + 0.5}), both clipped to [0, 1]. A file must be computed with its producer's.
 */
public enum HardSigmoidFlavor {
    KERAS2(GruActivation.HARD_SIGMOID_KERAS2),
    KERAS3(GruActivation.HARD_SIGMOID_KERAS3);

    private final GruActivation activation;

    HardSigmoidFlavor(GruActivation activation) {
        this.activation = activation;
    }

    public GruActivation activation() {
        return activation;
    }
}
