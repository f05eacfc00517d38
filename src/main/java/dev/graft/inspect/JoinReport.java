package dev.graft.inspect;

import dev.graft.shape.Compatibility;
import dev.graft.shape.Compatibility.Result;
import dev.graft.shape.Compatibility.Verdict;

/** Whether the first model's output can feed the second model's input. */
public record JoinReport(TensorInfo from, TensorInfo to, Result result) {
    public static JoinReport of(ModelSummary first, ModelSummary second) {
        if (first.outputs().size() != 1 || second.inputs().size() != 1) {
            String why = "graft joins one output to one input; the first model has " + first.outputs().size()
                    + " output(s) and the second " + second.inputs().size() + " input(s)";
            TensorInfo from = first.outputs().isEmpty() ? null : first.outputs().get(0);
            TensorInfo to = second.inputs().isEmpty() ? null : second.inputs().get(0);
            return new JoinReport(from, to, new Result(Verdict.INCOMPATIBLE, null, why));
        }
        TensorInfo from = first.outputs().get(0);
        TensorInfo to = second.inputs().get(0);
        return new JoinReport(from, to, Compatibility.check(from.shape(), from.dtype(), to.shape(), to.dtype(), to.indexInput()));
    }
}
