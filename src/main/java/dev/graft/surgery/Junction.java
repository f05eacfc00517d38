package dev.graft.surgery;

import dev.graft.model.DType;
import dev.graft.model.Layer;
import dev.graft.model.Shape;
import java.util.List;

/**
 * One junction of a merge plan: what the earlier donor gives, what the next expects, and the
 * bridge between them.
 *
 * @param bridge       the bridge as it will be built ({@code none}, {@code reshape}, {@code dense:32}, ...)
 * @param chosenByAuto true when {@code --bridge auto} made the choice
 * @param layers       the new bridge layers (empty for a direct join)
 */
public record Junction(int index, String fromLayer, Shape fromShape, DType fromType, String toLayer, Shape toShape, DType toType,
                       String bridge, boolean chosenByAuto, List<Layer> layers) {
    public long newParameters() {
        return layers.stream().mapToLong(Layer::parameterCount).sum();
    }
}
