package dev.graft.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code --bridge} value: {@code reshape}, {@code reshape:AxBxC}, {@code dense:N},
 * {@code dense:N:ACTIVATION} or {@code auto}. Parsing only; whether it fits a junction is the
 * planner's question.
 */
public record BridgeSpec(Kind kind, List<Long> reshapeTarget, int units, String activation) {
    public enum Kind { RESHAPE, DENSE, AUTO }

    /**
     * Keras activation names a bridge may use: those graft computes with the same definition in every Keras
     * (the engine's list, {@code KerasActivations}, minus {@code hard_sigmoid}, which Keras 3 redefined, and
     * minus the row-wise {@code log_softmax}/{@code sparsemax}, which a per-step bridge cannot use).
     */
    static final Set<String> ACTIVATIONS = Set.of("relu", "linear", "tanh", "sigmoid", "softmax", "elu", "selu", "softplus", "softsign",
            "relu6", "swish", "silu", "gelu", "mish", "hard_silu", "hard_swish", "leaky_relu", "celu", "exponential", "hard_tanh",
            "log_sigmoid", "hard_shrink", "soft_shrink", "tanh_shrink", "sparse_plus", "sparse_sigmoid", "squareplus");

    public static BridgeSpec parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) return new BridgeSpec(Kind.AUTO, null, 0, null);
        if (s.equals("reshape")) return new BridgeSpec(Kind.RESHAPE, null, 0, null);
        if (s.startsWith("reshape:")) {
            List<Long> dims = new ArrayList<>();
            for (String d : s.substring(8).split("x")) {
                try {
                    long v = Long.parseLong(d);
                    if (v <= 0) throw new NumberFormatException();
                    dims.add(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad --bridge '" + text + "': reshape:AxBxC needs positive whole numbers, e.g. reshape:32x8");
                }
            }
            return new BridgeSpec(Kind.RESHAPE, List.copyOf(dims), 0, null);
        }
        if (s.startsWith("dense:")) {
            String[] parts = s.split(":");
            if (parts.length < 2 || parts.length > 3) throw new IllegalArgumentException("bad --bridge '" + text + "': use dense:N or dense:N:ACTIVATION");
            int units;
            try {
                units = Integer.parseInt(parts[1]);
                if (units <= 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad --bridge '" + text + "': dense:N needs a positive number of units");
            }
            String act = parts.length == 3 ? parts[2] : "relu";
            if (!ACTIVATIONS.contains(act)) {
                throw new IllegalArgumentException("bad --bridge '" + text + "': activation '" + act + "' is not one of " + String.join(", ", ACTIVATIONS.stream().sorted().toList()));
            }
            return new BridgeSpec(Kind.DENSE, null, units, act);
        }
        throw new IllegalArgumentException("bad --bridge '" + text + "': use reshape, reshape:AxBxC, dense:N, dense:N:ACTIVATION or auto");
    }

    @Override
    public String toString() {
        switch (kind) {
            case AUTO: return "auto";
            case RESHAPE: return reshapeTarget == null ? "reshape" : "reshape:" + String.join("x", reshapeTarget.stream().map(String::valueOf).toList());
            default: return "dense:" + units + ("relu".equals(activation) ? "" : ":" + activation);
        }
    }
}
