package dev.graft.surgery;

import dev.graft.model.DType;
import dev.graft.model.Layer;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import dev.graft.shape.Compatibility;

/**
 * Builds the layers of one bridge (or head) from a {@link BridgeSpec} chain, step by step, checking
 * that every step can take what the previous one gives and that the chain ends in the shape the
 * next model expects. Shared by {@code merge} (its junctions) and {@code adapt} (its bridges and head).
 */
final class BridgeBuilder {
    private final String fromFile;
    private final Shape from;
    private final String toFile;
    private final Shape to;
    private final SplittableRandom rng;
    private final Set<String> used;
    private final String prefix;
    private String description;

    /**
     * @param to     the shape the chain must end in, or null when anything goes (a head)
     * @param prefix start of the new layers' names ({@code bridge1_}, {@code head_})
     */
    BridgeBuilder(String fromFile, Shape from, String toFile, Shape to, SplittableRandom rng, Set<String> used, String prefix) {
        this.fromFile = fromFile;
        this.from = from;
        this.toFile = toFile;
        this.to = to;
        this.rng = rng;
        this.used = used;
        this.prefix = prefix;
    }

    BridgeBuilder(String fromFile, Shape from, String toFile, Shape to, SplittableRandom rng, Set<String> used, int junction) {
        this(fromFile, from, toFile, to, rng, used, "bridge" + junction + "_");
    }

    /** {@code --bridge auto}: the bridge {@link Compatibility} names for these shapes ({@code inspect A B} says the same). */
    BridgeSpec auto() {
        Compatibility.Result r = Compatibility.check(from, DType.FLOAT32, to, DType.FLOAT32);
        if (r.fitsDirectly()) return BridgeSpec.NONE;
        if (r.bridge() == null) {
            throw new MergeException("--bridge auto finds no bridge from " + from + " (" + fromFile + ") to " + to + " (" + toFile
                    + "): " + r.reason());
        }
        return BridgeSpec.parse(r.bridge());
    }

    /** The chain's layers, the first reading {@code input}; empty for {@code none}. */
    List<Layer> build(BridgeSpec spec, TensorRef input) {
        description = spec.toString();
        List<Layer> layers = new ArrayList<>();
        Shape shape = from;
        TensorRef carry = input;
        for (int i = 0; i < spec.steps().size(); i++) {
            BridgeSpec.Step step = spec.steps().get(i);
            boolean last = i == spec.steps().size() - 1;
            Layer l = step(step, shape, carry, last, spec);
            layers.add(l);
            shape = after(step, shape);
            carry = TensorRef.of(l.name());
        }
        if (to != null) requireFits(shape, spec);
        return layers;
    }

    String describe() {
        return description;
    }

    private Shape after(BridgeSpec.Step step, Shape in) {
        if (step instanceof BridgeSpec.Flatten) return Shape.batchOf(in.elementsPerSample());
        if (step instanceof BridgeSpec.Reshape r) return Shape.batchOf(r.target() != null ? r.target() : to.sampleDims());
        if (step instanceof BridgeSpec.Dense d) return in.withLastDim((long) d.units());
        if (step instanceof BridgeSpec.GlobalPool) return Shape.of(null, in.lastDim());
        return in; // dropout
    }

    private Layer step(BridgeSpec.Step step, Shape in, TensorRef input, boolean last, BridgeSpec spec) {
        if (step instanceof BridgeSpec.Flatten) {
            if (in.rank() < 2 || !in.isSampleShapeKnown()) {
                throw new MergeException("cannot flatten " + in + " from " + fromFile + ": its size per sample is not known");
            }
            return KerasLayerFactory.flatten(name("flatten"), input);
        }
        if (step instanceof BridgeSpec.Reshape r) return reshape(r, in, input, last, spec);
        if (step instanceof BridgeSpec.Dense d) return dense(d, in, input);
        if (step instanceof BridgeSpec.Dropout d) return KerasLayerFactory.dropout(name("dropout"), d.rate(), input);
        BridgeSpec.GlobalPool g = (BridgeSpec.GlobalPool) step;
        if (in.rank() < 3 || in.rank() > 5) {
            throw new MergeException("--bridge " + spec + ": " + g + " pools the steps or positions of a rank 3 to 5 tensor, but "
                    + fromFile + " gives " + in);
        }
        return KerasLayerFactory.globalPooling(name(g.max() ? "gmp" : "gap"), g.max(), in.rank() - 2, input);
    }

    private Layer reshape(BridgeSpec.Reshape spec, Shape in, TensorRef input, boolean last, BridgeSpec chain) {
        List<Long> target = spec.target();
        if (target == null) {
            if (to == null || !last) {
                throw new MergeException("--bridge " + chain + ": a reshape without a target must end a bridge into a known shape; give reshape:AxB");
            }
            if (!to.isSampleShapeKnown()) {
                throw new MergeException(toFile + " expects " + to + ", which has unknown dimensions; give the target: --bridge reshape:AxB");
            }
            target = to.sampleDims();
        }
        long have = in.elementsPerSample();
        long want = target.stream().reduce(1L, (x, y) -> x * y);
        if (have < 0) throw new MergeException("cannot reshape " + in + " from " + fromFile + ": its size per sample is unknown");
        if (have != want) {
            throw new MergeException("cannot reshape " + in + " (" + fromFile + ", " + have + " elements per sample) to "
                    + Shape.batchOf(target) + " (" + want + " elements)" + (spec.target() == null ? ", which " + toFile + " expects" : ""));
        }
        return KerasLayerFactory.reshape(name("reshape"), target, input);
    }

    /** Activations over a whole row, which the engine computes on (batch, features) only (a per-step Dense is refused). */
    private static final java.util.Set<String> ROW_WISE = java.util.Set.of("log_softmax", "sparsemax");

    private Layer dense(BridgeSpec.Dense spec, Shape in, TensorRef input) {
        if (in.lastDim() == null) throw new MergeException(fromFile + " gives " + in + ": a Dense bridge needs a known last dimension");
        if (in.rank() != 2 && ROW_WISE.contains(spec.activation())) {
            throw new MergeException("--bridge " + spec + ": " + spec.activation() + " is computed on (batch, features) only, and this junction"
                    + " gives " + in + " from " + fromFile + " (flatten or pool first: flatten," + spec + " or gap," + spec + ")");
        }
        if (in.rank() == 3) return KerasLayerFactory.densePerStep(name("dense"), spec.units(), spec.activation(), in.lastDim(), input, rng);
        return KerasLayerFactory.dense(name("dense"), spec.units(), spec.activation(), in.lastDim(), input, rng);
    }

    private void requireFits(Shape result, BridgeSpec spec) {
        boolean fits = result.rank() == to.rank();
        for (int i = 1; fits && i < result.rank(); i++) {
            Long r = result.dim(i), t = to.dim(i);
            if (r != null && t != null && !r.equals(t)) fits = false;
        }
        if (!fits) {
            String hint = "";
            if (!spec.steps().isEmpty() && spec.steps().get(spec.steps().size() - 1) instanceof BridgeSpec.Dense && to.lastDim() != null
                    && result.rank() == to.rank() && result.withLastDim(to.lastDim()).equals(to.withLastDim(to.lastDim()))) {
                List<BridgeSpec.Step> fixed = new ArrayList<>(spec.steps());
                fixed.set(fixed.size() - 1, new BridgeSpec.Dense(Math.toIntExact(to.lastDim()),
                        ((BridgeSpec.Dense) spec.steps().get(spec.steps().size() - 1)).activation()));
                hint = "; use " + new BridgeSpec(fixed, false);
            } else if (result.rank() != to.rank() && to.rank() == 2 && to.lastDim() != null && from.rank() > 2 && result.rank() > 2) {
                hint = "; flatten first, e.g. --bridge flatten,dense:" + to.lastDim();
            }
            throw new MergeException("--bridge " + spec + " turns " + from + " into " + result + " but " + toFile + " expects " + to + hint);
        }
    }

    private String name(String kind) {
        String base = prefix + kind;
        String n = base;
        for (int k = 2; used.contains(n); k++) n = base + "_" + k;
        used.add(n);
        return n;
    }
}
