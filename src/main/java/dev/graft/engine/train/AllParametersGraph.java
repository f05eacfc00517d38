package dev.graft.engine.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The network training runs, counting every parameter it holds: DL4J's {@code ComputationGraph.numParams()}
 * counts the parameters of layers only, and its {@code fit} returns without a step ("no params to fit") when
 * that count is 0. A network whose parameters all live in vertices (graft's SameDiff vertices: MultiHeadAttention,
 * Attention, the LSTM with states, a mask or going backwards) then trained nothing and reported a loss of 0.0.
 * Within DL4J the count is read by {@code fit} alone; {@code update(Gradient)} reads {@code numParams(true)}.
 */
final class AllParametersGraph extends ComputationGraph {
    AllParametersGraph(ComputationGraphConfiguration conf) {
        super(conf);
    }

    @Override
    public long numParams() {
        return flattenedParams == null ? super.numParams() : flattenedParams.length();
    }
}
