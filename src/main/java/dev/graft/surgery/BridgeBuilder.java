package dev.graft.surgery;

import dev.graft.model.Layer;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Builds the bridge layers of one junction from a {@code --bridge} spec, checking that they fit. */
final class BridgeBuilder {
    private final String fromFile;
    private final Shape from;
    private final String toFile;
    private final Shape to;
    private final SplittableRandom rng;
    private final Set<String> used;
    private final int junction;
    private String description;

    BridgeBuilder(String fromFile, Shape from, String toFile, Shape to, SplittableRandom rng, Set<String> used, int junction) {
        this.fromFile = fromFile;
        this.from = from;
        this.toFile = toFile;
        this.to = to;
        this.rng = rng;
        this.used = used;
        this.junction = junction;
    }

    /** {@code --bridge auto}: reshape when the element counts agree, else a Dense to the target's last dimension. */
    BridgeSpec auto() {
        long a = from.elementsPerSample();
        if (a > 0 && a == to.elementsPerSample()) return BridgeSpec.parse("reshape");
        if (to.lastDim() != null && from.rank() == to.rank()) return BridgeSpec.parse("dense:" + to.lastDim());
        throw new MergeException("--bridge auto finds no bridge from " + from + " (" + fromFile + ") to " + to + " (" + toFile
                + "): element counts differ (" + a + " vs " + to.elementsPerSample() + ") and so do the ranks");
    }

    List<Layer> build(BridgeSpec spec, TensorRef input) {
        description = spec.toString();
        return spec.kind() == BridgeSpec.Kind.RESHAPE ? List.of(reshape(spec, input)) : List.of(dense(spec, input));
    }

    String describe() {
        return description;
    }

    private Layer reshape(BridgeSpec spec, TensorRef input) {
        List<Long> target = spec.reshapeTarget();
        if (target == null) {
            if (!to.isSampleShapeKnown()) {
                throw new MergeException(toFile + " expects " + to + ", which has unknown dimensions; give the target: --bridge reshape:AxB");
            }
            target = to.sampleDims();
        }
        long have = from.elementsPerSample();
        long want = target.stream().reduce(1L, (x, y) -> x * y);
        if (have < 0) throw new MergeException("cannot reshape " + from + " from " + fromFile + ": its size per sample is unknown");
        if (have != want) {
            throw new MergeException("cannot reshape " + from + " (" + fromFile + ", " + have + " elements per sample) to "
                    + Shape.batchOf(target) + " (" + want + " elements)" + (spec.reshapeTarget() == null ? ", which " + toFile + " expects" : ""));
        }
        Shape result = Shape.batchOf(target);
        requireFits(result, spec);
        return KerasLayerFactory.reshape(name("reshape"), target, input);
    }

    private Layer dense(BridgeSpec spec, TensorRef input) {
        if (from.lastDim() == null) throw new MergeException(fromFile + " gives " + from + ": a Dense bridge needs a known last dimension");
        Shape result = from.withLastDim((long) spec.units());
        requireFits(result, spec);
        if (from.rank() == 3) return KerasLayerFactory.densePerStep(name("dense"), spec.units(), spec.activation(), from.lastDim(), input, rng);
        return KerasLayerFactory.dense(name("dense"), spec.units(), spec.activation(), from.lastDim(), input, rng);
    }

    private void requireFits(Shape result, BridgeSpec spec) {
        boolean fits = result.rank() == to.rank();
        for (int i = 1; fits && i < result.rank(); i++) {
            Long r = result.dim(i), t = to.dim(i);
            if (r != null && t != null && !r.equals(t)) fits = false;
        }
        if (!fits) {
            String hint = spec.kind() == BridgeSpec.Kind.DENSE && to.lastDim() != null && result.rank() == to.rank()
                    && result.withLastDim(to.lastDim()).equals(to.withLastDim(to.lastDim())) ? "; use dense:" + to.lastDim() : "";
            throw new MergeException("--bridge " + spec + " turns " + from + " into " + result + " but " + toFile + " expects " + to + hint);
        }
    }

    private String name(String kind) {
        String base = "bridge" + junction + "_" + kind;
        String n = base;
        for (int k = 2; used.contains(n); k++) n = base + "_" + k;
        used.add(n);
        return n;
    }
}
