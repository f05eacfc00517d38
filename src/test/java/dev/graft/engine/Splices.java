package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.HostArray;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test helpers for splices: donors with prefixed names, bridges applied by the reference, comparisons. */
final class Splices {
    static final double TOLERANCE = 1e-6;

    private Splices() {
    }

    /** The donor with every vertex (inputs included) renamed {@code prefix + name}, as a caller makes names unique. */
    static SpliceDonor prefixed(EngineModel model, String prefix, boolean frozen) {
        Map<String, String> names = new HashMap<>();
        for (String v : model.graph().getConfiguration().getVertices().keySet()) names.put(v, prefix + v);
        for (String v : model.graph().getConfiguration().getNetworkInputs()) names.put(v, prefix + v);
        return new SpliceDonor(model, names, frozen);
    }

    /** What the bridge does to a Keras-layout batch, computed by the reference. */
    static HostArray apply(SpliceBridge bridge, HostArray x) {
        if (bridge instanceof SpliceBridge.Reshape r) return Reference.reshape(x, r.targetShape());
        if (bridge instanceof SpliceBridge.Dense d) return Reference.dense(x, d.kernel(), d.bias(), d.activation());
        return x;
    }

    /** The chain computed donor by donor, each loaded separately: dN(bridge(... d1(x))). */
    static HostArray chain(List<EngineModel> donors, List<SpliceBridge> bridges, HostArray x) {
        HostArray y = donors.get(0).predict(x)[0];
        for (int i = 1; i < donors.size(); i++) y = donors.get(i).predict(apply(bridges.get(i - 1), y))[0];
        return y;
    }

    static double assertClose(HostArray expected, HostArray actual, String what) {
        double diff = Reference.maxAbsDiff(expected, actual);
        System.out.printf("[splice] %s: max |hybrid - chain| = %.3g over %d values%n", what, diff, expected.size());
        assertTrue(diff <= TOLERANCE, what + ": max |difference| " + diff);
        return diff;
    }

    static HostArray host(INDArray a) {
        return Tensors.fromNd4j(a);
    }
}
