package dev.graft.engine.keras;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/** What graft's convolution-like imports share: Keras's per-axis size arguments, and the refusal of an argument value. */
final class KerasSizeArguments {
    private KerasSizeArguments() {
    }

    /** The one-line refusal naming the layer, its class, the argument with its value and what graft computes instead. */
    static UnsupportedKerasConfigurationException refusal(String layerName, String kerasClass, String argument, String what) {
        return new UnsupportedKerasConfigurationException("layer '" + layerName + "' (" + kerasClass + "): argument " + argument
                + " is not computed by graft (" + what + ")");
    }

    /**
     * A size argument ({@code kernel_size}, {@code strides}, ...) as one number per axis: Keras takes one number for every
     * axis or a list of {@code rank}; missing, it is {@code defaultValue} per axis when that is positive, else refused.
     */
    static long[] read(Map<String, Object> inner, String key, int rank, long defaultValue, String layerName, String kerasClass)
            throws UnsupportedKerasConfigurationException {
        Object v = inner.get(key);
        long[] out = new long[rank];
        if (v == null && defaultValue > 0) {
            Arrays.fill(out, defaultValue);
        } else if (v instanceof Number n) {
            Arrays.fill(out, n.longValue());
        } else if (v instanceof List<?> l && l.size() == rank && l.stream().allMatch(x -> x instanceof Number)) {
            for (int i = 0; i < rank; i++) out[i] = ((Number) l.get(i)).longValue();
        } else {
            throw refusal(layerName, kerasClass, key + "=" + v, rank + " numbers are");
        }
        return out;
    }
}
