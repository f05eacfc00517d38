package dev.graft.engine;

import dev.graft.model.HostArray;
import java.util.List;

/**
 * What joins the output of one donor to the input of the next, in Keras semantics: the tensor is
 * taken in Keras layout, changed, and handed on in Keras layout. {@link #name()} names the bridge's
 * vertex and, suffixed, any layout conversion the junction needs.
 */
public sealed interface SpliceBridge {
    String name();

    /** Nothing between: the shapes already match (the layouts may still differ). */
    record Direct(String name) implements SpliceBridge {
    }

    /** Keras's {@code Reshape}: a row-major reshape of each Keras-layout sample to {@code targetShape}. */
    record Reshape(String name, List<Long> targetShape) implements SpliceBridge {
        public Reshape {
            targetShape = List.copyOf(targetShape);
        }
    }

    /**
     * Keras's {@code Dense(units, activation)} on the last axis (of every step, on a sequence), with
     * the given kernel (in, units) and bias (units). The caller draws them, so every file written
     * from the same plan holds the same bridge.
     */
    record Dense(String name, String activation, HostArray kernel, HostArray bias) implements SpliceBridge {
        public int units() {
            return Math.toIntExact(kernel.shape()[kernel.rank() - 1]);
        }
    }

    static SpliceBridge direct(String name) {
        return new Direct(name);
    }

    static SpliceBridge reshape(String name, List<Long> targetShape) {
        return new Reshape(name, targetShape);
    }

    static SpliceBridge dense(String name, String activation, HostArray kernel, HostArray bias) {
        return new Dense(name, activation, kernel, bias);
    }
}
