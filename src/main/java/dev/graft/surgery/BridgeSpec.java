package dev.graft.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code --bridge} (or {@code --head}) value: {@code auto}, {@code none}, or a comma-separated
 * chain of steps applied in order: {@code flatten}, {@code reshape}, {@code reshape:AxBxC},
 * {@code dense:N}, {@code dense:N:ACTIVATION}, {@code dropout:R}, {@code gap} (global average
 * pooling) and {@code gmp} (global max pooling). Parsing only; whether a chain fits a junction is
 * the builder's question.
 */
public record BridgeSpec(List<Step> steps, boolean auto) {
    /** One step of a chain. */
    public sealed interface Step permits Flatten, Reshape, Dense, Dropout, GlobalPool {
    }

    /** Keras's {@code Flatten}: every per-sample dimension into one. */
    public record Flatten() implements Step {
        @Override
        public String toString() {
            return "flatten";
        }
    }

    /** Keras's {@code Reshape}; {@code target} null means "to the shape the next model expects". */
    public record Reshape(List<Long> target) implements Step {
        @Override
        public String toString() {
            return target == null ? "reshape" : "reshape:" + String.join("x", target.stream().map(String::valueOf).toList());
        }
    }

    /** Keras's {@code Dense(units, activation)} on the last axis. */
    public record Dense(int units, String activation) implements Step {
        @Override
        public String toString() {
            return "dense:" + units + ("relu".equals(activation) ? "" : ":" + activation);
        }
    }

    /** Keras's {@code Dropout(rate)}: identity when predicting, drops a fraction {@code rate} in training. */
    public record Dropout(double rate) implements Step {
        @Override
        public String toString() {
            return "dropout:" + rate;
        }
    }

    /** Keras's {@code GlobalAveragePooling1D/2D/3D} or {@code GlobalMaxPooling1D/2D/3D}, channels last. */
    public record GlobalPool(boolean max) implements Step {
        @Override
        public String toString() {
            return max ? "gmp" : "gap";
        }
    }

    /**
     * Keras activation names a bridge may use: every one graft computes with the same definition in every Keras (the
     * engine's list, {@code KerasActivationNames}); the row-wise {@code log_softmax} and {@code sparsemax} on a junction of
     * (batch, features) only ({@link BridgeBuilder}). Not {@code hard_sigmoid} ({@link #REFUSED}).
     */
    static final Set<String> ACTIVATIONS = Set.of("relu", "linear", "tanh", "sigmoid", "softmax", "elu", "selu", "softplus", "softsign",
            "relu6", "swish", "silu", "gelu", "mish", "hard_silu", "hard_swish", "leaky_relu", "celu", "exponential", "hard_tanh",
            "log_sigmoid", "hard_shrink", "soft_shrink", "tanh_shrink", "sparse_plus", "sparse_sigmoid", "squareplus",
            "log_softmax", "sparsemax");

    /** Activations graft computes in a model but not in a bridge, with the reason. */
    static final java.util.Map<String, String> REFUSED = java.util.Map.of(
            "glu", "glu halves the last axis, which Keras's own shape inference ignores: Keras builds the layer after the bridge for"
                    + " twice the features glu gives it and cannot run the hybrid (use dense:N:sigmoid or gelu, or Activation('glu') in a donor)",
            "hard_sigmoid", "Keras 2 (0.2x + 0.5) and Keras 3 (relu6(x + 3) / 6) define hard_sigmoid differently, and a bridge's file"
                    + " would compute whichever Keras opens it (use hard_silu, sigmoid or relu6)");

    public static final String GRAMMAR = "auto, none, or a comma-separated chain of flatten, reshape, reshape:AxB, dense:N, "
            + "dense:N:ACTIVATION, dropout:R, gap, gmp";

    public BridgeSpec {
        steps = List.copyOf(steps);
    }

    public static final BridgeSpec AUTO = new BridgeSpec(List.of(), true);
    public static final BridgeSpec NONE = new BridgeSpec(List.of(), false);

    /** No layer at this junction. */
    public boolean isNone() {
        return !auto && steps.isEmpty();
    }

    public static BridgeSpec parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) return AUTO;
        if (s.equals("none")) return NONE;
        if (s.isEmpty()) throw bad(text, "it is empty");
        List<Step> steps = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            String p = part.trim();
            if (p.equals("auto") || p.equals("none")) throw bad(text, "'" + p + "' stands alone, not inside a chain");
            steps.add(step(text, p));
        }
        return new BridgeSpec(steps, false);
    }

    /** A {@code --head} value: a chain as for bridges, but auto and none mean nothing there, and a reshape needs its target. */
    public static BridgeSpec parseHead(String text) {
        BridgeSpec spec;
        try {
            spec = parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("bad --bridge", "bad --head"));
        }
        if (spec.auto || spec.isNone()) throw new IllegalArgumentException("bad --head '" + text + "': give layers, e.g. dense:10:softmax");
        for (Step st : spec.steps) {
            if (st instanceof Reshape r && r.target() == null) {
                throw new IllegalArgumentException("bad --head '" + text + "': a reshape in a head needs its target, e.g. reshape:16x8");
            }
        }
        return spec;
    }

    /** Chains joined: this chain's steps, then the other's. */
    public BridgeSpec then(BridgeSpec other) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(other.steps);
        return new BridgeSpec(all, false);
    }

    private static Step step(String text, String p) {
        switch (p) {
            case "flatten": return new Flatten();
            case "reshape": return new Reshape(null);
            case "gap": case "globalavg": return new GlobalPool(false);
            case "gmp": case "globalmax": return new GlobalPool(true);
            default: break;
        }
        if (p.startsWith("reshape:")) {
            List<Long> dims = new ArrayList<>();
            for (String d : p.substring(8).split("x", -1)) {
                try {
                    long v = Long.parseLong(d);
                    if (v <= 0) throw new NumberFormatException();
                    dims.add(v);
                } catch (NumberFormatException e) {
                    throw bad(text, "reshape:AxBxC needs positive whole numbers, e.g. reshape:32x8");
                }
            }
            return new Reshape(List.copyOf(dims));
        }
        if (p.startsWith("dense:")) {
            String[] parts = p.split(":", -1);
            if (parts.length > 3) throw bad(text, "use dense:N or dense:N:ACTIVATION");
            int units;
            try {
                units = Integer.parseInt(parts[1]);
                if (units <= 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw bad(text, "dense:N needs a positive number of units");
            }
            String act = parts.length == 3 ? parts[2] : "relu";
            if (REFUSED.containsKey(act)) throw bad(text, "activation '" + act + "' is not taken in a bridge: " + REFUSED.get(act));
            if (!ACTIVATIONS.contains(act)) {
                throw bad(text, "activation '" + act + "' is not one of " + String.join(", ", ACTIVATIONS.stream().sorted().toList()));
            }
            return new Dense(units, act);
        }
        if (p.startsWith("dropout:")) {
            try {
                double r = Double.parseDouble(p.substring(8));
                if (!(r >= 0 && r < 1)) throw new NumberFormatException();
                return new Dropout(r);
            } catch (NumberFormatException e) {
                throw bad(text, "dropout:R needs a rate from 0 up to (not including) 1, e.g. dropout:0.3");
            }
        }
        throw bad(text, "'" + p + "' is not a step; use " + GRAMMAR);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad --bridge '" + text + "': " + why);
    }

    @Override
    public String toString() {
        if (auto) return "auto";
        if (steps.isEmpty()) return "none";
        return String.join(",", steps.stream().map(Step::toString).toList());
    }
}
