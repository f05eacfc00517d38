package dev.graft.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.SourceInfo;
import java.util.List;

/** Everything {@code graft inspect} reports about one model, independent of how it is printed. */
public record ModelSummary(SourceInfo source, String modelClass, String name, List<LayerRow> layers,
                           long totalParams, long trainableParams, long paramBytes, long trainableParamBytes, List<TensorInfo> inputs, List<TensorInfo> outputs,
                           TrainingInfo training, ObjectNode provenance, List<String> warnings) {
    public long nonTrainableParams() {
        return totalParams - trainableParams;
    }

    /** True when graft can compute every layer. */
    public boolean computable() {
        return layers.stream().allMatch(l -> l.notComputable() == null);
    }
}
