package dev.graft.engine.keras;

import dev.graft.engine.layers.GruActivation;
import dev.graft.engine.layers.GruSpec;
import dev.graft.engine.layers.KerasGruLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the import reads from a GRU's config and arrays, and what it refuses, without any file. */
class GruConfigAndWeightsTest {

    private static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("units", 4);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void keras2DefaultsWhereKeysAreAbsent() throws Exception {
        // A Keras 2.0/2.1 GRU config has no reset_after: those versions reset before the product
        GruSpec s = GruConfigParser.parse(config("activation", "tanh", "recurrent_activation", "hard_sigmoid"), "g");
        assertFalse(s.resetAfter());
        assertTrue(s.useBias());
        assertFalse(s.returnSequences());
        assertEquals(GruActivation.HARD_SIGMOID_KERAS2, s.recurrentActivation());
    }

    @Test
    void hardSigmoidFlavourFromMarkerOrKeras3DtypePolicy() throws Exception {
        assertEquals(GruActivation.HARD_SIGMOID_KERAS3, GruConfigParser.parse(config(
                "recurrent_activation", "hard_sigmoid", "activation", "tanh", GruConfigParser.FLAVOR_KEY, "keras3"), "g")
                .recurrentActivation());
        Map<String, Object> policy = Map.of("module", "keras", "class_name", "DTypePolicy");
        assertEquals(GruActivation.HARD_SIGMOID_KERAS3, GruConfigParser.parse(config(
                "recurrent_activation", "hard_sigmoid", "activation", "tanh", "dtype", policy), "g").recurrentActivation());
        // an explicit marker wins over the dtype guess
        assertEquals(GruActivation.HARD_SIGMOID_KERAS2, GruConfigParser.parse(config(
                "recurrent_activation", "hard_sigmoid", "activation", "tanh", "dtype", policy,
                GruConfigParser.FLAVOR_KEY, "keras2"), "g").recurrentActivation());
        assertThrows(InvalidKerasConfigurationException.class, () -> GruConfigParser.parse(config(
                "recurrent_activation", "hard_sigmoid", GruConfigParser.FLAVOR_KEY, "keras4"), "g"));
    }

    @Test
    void refusesWhatItCannotCompute() {
        UnsupportedKerasConfigurationException e = assertThrows(UnsupportedKerasConfigurationException.class,
                () -> GruConfigParser.parse(config("activation", "tanh", "recurrent_activation", "sigmoid",
                        "return_state", true), "enc"));
        assertTrue(e.getMessage().contains("enc") && e.getMessage().contains("return_state"), e.getMessage());
        e = assertThrows(UnsupportedKerasConfigurationException.class, () -> GruConfigParser.parse(config(
                "activation", "softsign", "recurrent_activation", "sigmoid"), "g"));
        assertTrue(e.getMessage().contains("softsign"), e.getMessage());
    }

    @Test
    void resetBeforeBiasBecomesOneRowAndRecurrentKernelIsRenamed() throws Exception {
        GruSpec spec = new GruSpec(2, false, true, GruActivation.TANH, GruActivation.SIGMOID, false, false);
        Map<String, INDArray> keras = new HashMap<>();
        keras.put("kernel", Nd4j.rand(3, 6));
        keras.put("recurrent_kernel", Nd4j.rand(2, 6));
        keras.put("bias", Nd4j.linspace(1, 6, 6));
        Map<String, INDArray> p = GruWeights.toLayerParams(keras, spec, "g");
        assertArrayEquals(new long[]{1, 6}, p.get(KerasGruLayer.BIAS).shape());
        assertEquals(6.0, p.get(KerasGruLayer.BIAS).getDouble(0, 5), 0.0);
        assertEquals(keras.get("recurrent_kernel"), p.get(KerasGruLayer.RECURRENT_KERNEL));
    }

    @Test
    void biasShapeThatContradictsResetAfterIsAClearError() {
        GruSpec resetBefore = new GruSpec(2, false, true, GruActivation.TANH, GruActivation.SIGMOID, false, false);
        Map<String, INDArray> keras = new HashMap<>();
        keras.put("kernel", Nd4j.rand(3, 6));
        keras.put("recurrent_kernel", Nd4j.rand(2, 6));
        keras.put("bias", Nd4j.rand(2, 6));   // a reset_after bias
        InvalidKerasConfigurationException e = assertThrows(InvalidKerasConfigurationException.class,
                () -> GruWeights.toLayerParams(keras, resetBefore, "g"));
        assertTrue(e.getMessage().contains("reset_after"), e.getMessage());
    }
}
