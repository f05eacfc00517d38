package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The weight-name text and the parameter names DL4J's importer derives from a Keras 2 file, reproduced in memory. */
class WeightGroupsTest {
    @Test
    void weightNamesEndAtTheFirstPaddedName() {
        // Fixed-length strings padded to the longest: libhdf5's C++ string read stops at the first null,
        // so the longest name runs into the next one.
        assertEquals("lstm/lstm/recurrent_kernel:0lstm/lstm/kernel:0", WeightGroups.asDl4jReadsThem(
                List.of("lstm/lstm/recurrent_kernel:0", "lstm/lstm/kernel:0", "lstm/lstm/bias:0")));
        assertEquals("d/bias:0", WeightGroups.asDl4jReadsThem(List.of("d/bias:0", "d/kernel:0")));
        assertEquals("a/x:0a/y:0a/z", WeightGroups.asDl4jReadsThem(List.of("a/x:0", "a/y:0", "a/z")));
        assertEquals("", WeightGroups.asDl4jReadsThem(List.of()));
    }

    @Test
    void parameterNamesLoseTheLayerNameAndTensorFlowSuffixes() {
        assertEquals("kernel", EngineWeightImport.findParameterName("kernel:0", new String[] {"dense_1"}));
        assertEquals("W_i", EngineWeightImport.findParameterName("lstm_1_W_i", new String[] {"lstm_1"}));
        assertEquals("kernel", EngineWeightImport.findParameterName("kernel_1:0", new String[] {"dense"}));
        assertEquals("query_kernel", EngineWeightImport.findParameterName("query_kernel:0", new String[] {"mha"}));
        // a layer whose name begins a parameter's name keeps the parameter whole (DL4J made "dings" of these)
        assertEquals("embeddings", EngineWeightImport.findParameterName("embeddings", new String[] {"embed"}));
        assertEquals("kernel", EngineWeightImport.findParameterName("kernel", new String[] {"kern"}));
    }

    @Test
    void pathsResolveAsLibhdf5ResolvesThem() {
        WeightGroups g = new WeightGroups();
        g.addLayer("model_weights/bi", List.of("bi/forward_lstm/kernel:0", "bi/backward_lstm/kernel:0"), List.of(
                dev.graft.model.Weight.inMemory("x", dev.graft.model.HostArray.ofFloats(new long[] {1}, new float[] {1}), true),
                dev.graft.model.Weight.inMemory("y", dev.graft.model.HostArray.ofFloats(new long[] {1}, new float[] {2}), true)));
        assertEquals(List.of("bi"), g.groups("model_weights"));
        assertEquals(List.of("backward_lstm", "forward_lstm"), g.groups("model_weights//bi/bi/"));
        assertEquals(List.of("kernel:0"), g.dataSets("model_weights/bi/bi/forward_lstm"));
        assertEquals(2f, g.dataset("model_weights/bi/bi/backward_lstm/kernel:0").read().floatData()[0]);
    }
}
