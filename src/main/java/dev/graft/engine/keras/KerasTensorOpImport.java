package dev.graft.engine.keras;

import dev.graft.engine.layers.DotVertex;
import dev.graft.engine.layers.GlobalPoolingVertex;
import dev.graft.engine.layers.PermuteVertex;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * DL4J Keras-import plug-in for the weightless layers graft computes on whole tensors: {@code Permute} (any
 * permutation), global pooling ({@code keepdims}, channels first, 3D; the engine adds {@code graft_pooling} = max or
 * average) and {@code Dot} (any axes, {@code normalize}), handed over as {@value #PERMUTE}, {@value #GLOBAL_POOLING} and
 * {@value #DOT}: graft's {@link PermuteVertex}, {@link GlobalPoolingVertex}, {@link DotVertex}.
 */
public class KerasTensorOpImport extends KerasLayer {
    public static final String PERMUTE = "GraftPermute";
    public static final String GLOBAL_POOLING = "GraftGlobalPooling";
    public static final String DOT = "GraftDot";
    /** The engine's own Reshape of a fixed-size tensor of any rank (BatchNormalization over another axis). */
    public static final String RESHAPE = "GraftTensorReshape";

    public static void register() {
        for (String c : List.of(PERMUTE, GLOBAL_POOLING, DOT, RESHAPE)) KerasLayer.registerCustomLayer(c, KerasTensorOpImport.class);
    }

    public KerasTensorOpImport(Map<String, Object> layerConfig)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        super(layerConfig, false);
        Map<String, Object> c = ClaimedConfig.inner(layerConfig);
        String kind = String.valueOf(layerConfig.get("class_name"));
        switch (kind) {
            case PERMUTE -> {
                ClaimedConfig.check("Permute", c, Set.of("dims"), Map.of());
                this.vertex = new PermuteVertex(ints(c.get("dims"), "Permute", "dims"));
            }
            case RESHAPE -> {
                ClaimedConfig.check("Reshape", c, Set.of("target_shape"), Map.of());
                int[] target = ints(c.get("target_shape"), "Reshape", "target_shape");
                this.vertex = new dev.graft.engine.layers.RowsReshapeVertex(java.util.Arrays.stream(target).asLongStream().toArray());
            }
            case GLOBAL_POOLING -> {
                ClaimedConfig.check("GlobalPooling", c, Set.of("data_format", "keepdims", "dim_ordering"), Map.of());
                boolean channelsFirst = "channels_first".equals(c.get("data_format")) || "th".equals(c.get("dim_ordering"));
                this.vertex = new GlobalPoolingVertex("max".equals(c.get("graft_pooling")), channelsFirst, Boolean.TRUE.equals(c.get("keepdims")));
            }
            case DOT -> {
                ClaimedConfig.check("Dot", c, Set.of("axes", "normalize"), Map.of());
                int[] axes = ints(c.get("axes"), "Dot", "axes");
                if (axes.length == 1) axes = new int[] {axes[0], axes[0]};
                if (axes.length != 2) throw refusal("Dot", "axes", c.get("axes"));
                this.vertex = new DotVertex(axes[0], axes[1], Boolean.TRUE.equals(c.get("normalize")));
            }
            default -> throw new UnsupportedKerasConfigurationException("layer '" + layerName + "': no tensor operation " + kind);
        }
    }

    private int[] ints(Object v, String kerasClass, String key) throws UnsupportedKerasConfigurationException {
        if (v instanceof Number n) return new int[] {n.intValue()};
        if (v instanceof List<?> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) throw refusal(kerasClass, key, v);
                out[i] = n.intValue();
            }
            return out;
        }
        throw refusal(kerasClass, key, v);
    }

    private UnsupportedKerasConfigurationException refusal(String kerasClass, String key, Object v) {
        return new UnsupportedKerasConfigurationException("layer '" + layerName + "' (" + kerasClass + "): argument " + key + "=" + v
                + " is not computed by graft");
    }

    @Override
    public int getNumParams() {
        return 0;
    }

    @Override
    public InputType getOutputType(InputType... in) throws InvalidKerasConfigurationException {
        try {
            return vertex.getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new InvalidKerasConfigurationException("layer '" + layerName + "': " + e.getMessage());
        }
    }
}
