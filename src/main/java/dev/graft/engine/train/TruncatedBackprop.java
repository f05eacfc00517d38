package dev.graft.engine.train;

import dev.graft.GraftException;
import dev.graft.data.TrainingData;
import dev.graft.model.HostArray;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * DL4J networks saved for truncated backpropagation through time (zips of DL4J's character models): DL4J 1.0.0-M2.1's
 * segmenting fails on them ("Sequence lengths do not match for RnnOutputLayer input and labels"). On sequences no
 * longer than a segment, truncated backpropagation is the full one (one segment, every step), so the network trains
 * with that; longer sequences are refused naming the setting, never trained differently.
 */
final class TruncatedBackprop {
    private TruncatedBackprop() {
    }

    /** Switches {@code graph} to full backpropagation when that is what its truncated form computes on {@code data}. */
    static void apply(ComputationGraph graph, TrainingData data) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getBackpropType() != BackpropType.TruncatedBPTT) return;
        int segment = Math.min(conf.getTbpttFwdLength(), conf.getTbpttBackLength());
        long longest = 0;
        List<HostArray> all = new ArrayList<>(data.xs());
        if (data.validationXs() != null) all.addAll(data.validationXs());
        for (HostArray x : all) if (x.shape().length == 3) longest = Math.max(longest, x.shape()[1]);
        if (longest > segment) {
            throw new GraftException("the network trains with truncated backpropagation through time (segments of " + segment
                    + " steps), which graft's train computes only on sequences of at most " + segment + " steps; the data has "
                    + longest + ": cut the sequences to " + segment + " steps");
        }
        conf.setBackpropType(BackpropType.Standard);
    }
}
