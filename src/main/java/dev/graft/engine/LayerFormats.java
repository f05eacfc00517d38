package dev.graft.engine;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.DataFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;

/**
 * The layout a DL4J layer or preprocessor configuration declares for the tensors it handles.
 *
 * <p>DL4J M2.1 has no common interface for this: each class names its own property
 * ({@code rnnDataFormat}, {@code cnn2dDataFormat}, {@code dataFormat}, {@code format},
 * {@code outputFormat}, {@code timeDistributedFormat}, Bidirectional's {@code RNNDataFormat}), and
 * a Conv1D layer carries both a 2-d format (internal) and the sequence format it is fed in. So the
 * configuration's getters are read by their type: an {@link RNNFormat} speaks for rank-3 tensors,
 * a {@link CNN2DFormat} for rank 4, Conv3D's format for rank 5.
 */
final class LayerFormats {
    private LayerFormats() {
    }

    /** The layout {@code config} (a layer or preprocessor configuration) declares for rank-{@code rank} tensors, or null. */
    static Layout declared(Object config, int rank) {
        if (config == null || rank < 3) return null;
        Layout own = fromGetters(config, rank);
        if (own != null) return own;
        // Wrappers (frozen, last-time-step, mask-zero...) compute with the layout of what they wrap.
        if (config instanceof BaseWrapperLayer w) return declared(w.getUnderlying(), rank);
        if (config instanceof FrozenLayer f) return declared(f.getLayer(), rank);
        if (config instanceof ComposableInputPreProcessor c && c.getInputPreProcessors() != null && c.getInputPreProcessors().length > 0) {
            return declared(c.getInputPreProcessors()[0], rank);
        }
        return null;
    }

    private static Layout fromGetters(Object config, int rank) {
        Method[] methods = config.getClass().getMethods();
        // Sorted so that the answer never depends on the JVM's method order.
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")) continue;
            if (!DataFormat.class.isAssignableFrom(m.getReturnType())) continue;
            Object value;
            try {
                value = m.invoke(config);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // A getter that cannot answer says nothing about the layout.
            }
            Layout l = layoutOf(value, rank);
            if (l != null) return l;
        }
        return null;
    }

    private static Layout layoutOf(Object format, int rank) {
        if (rank == 3 && format instanceof RNNFormat r) return r == RNNFormat.NWC ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        if (rank == 4 && format instanceof CNN2DFormat c) return c == CNN2DFormat.NHWC ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        if (rank == 5 && format instanceof Convolution3D.DataFormat d) {
            return d == Convolution3D.DataFormat.NDHWC ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST;
        }
        return null;
    }
}
