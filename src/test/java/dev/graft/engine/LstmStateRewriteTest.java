package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which LSTMs go to graft's state vertex, and how the graph around them is rewired (no arithmetic). */
class LstmStateRewriteTest {

    @Test
    void encoderStatesBecomePartsAndTheDecoderTakesThem() {
        ModelGraph m = model("3.8.0",
                input("enc_in"), input("dec_in"),
                lstm("enc", false, call(ref("enc_in"))),
                lstm("dec", true, call(ref("dec_in"), new TensorRef("enc", 0, 1), new TensorRef("enc", 0, 2))),
                layer("head", "Dense", call(ref("dec"))));
        ModelGraph r = rewrite(m, List.of(ref("head")));

        assertEquals(List.of("enc_in", "dec_in", "enc__lstm", "enc__h", "enc__c", "dec", "head"), names(r));
        Layer packed = r.layer("enc__lstm");
        assertEquals("GraftLstmState", packed.className());
        assertTrue(packed.config().path("return_state").asBoolean());
        assertFalse(packed.config().path("graft_initial_state").asBoolean());
        assertEquals("keras3", packed.config().path("graft_hard_sigmoid").asText());
        assertEquals("enc__lstm", packed.config().path("name").asText());
        assertEquals(3, packed.weights().size());
        assertEquals("h", r.layer("enc__h").config().path("graft_part").asText());
        assertEquals(List.of(ref("enc__lstm")), r.layer("enc__c").calls().get(0).inputs());

        Layer dec = r.layer("dec");
        assertEquals("GraftLstmState", dec.className());
        assertFalse(dec.config().path("return_state").asBoolean());
        assertTrue(dec.config().path("graft_initial_state").asBoolean());
        assertEquals(List.of(ref("dec_in"), ref("enc__h"), ref("enc__c")), dec.calls().get(0).inputs());
        assertEquals(List.of(ref("dec")), r.layer("head").calls().get(0).inputs());
    }

    @Test
    void theOutputPartKeepsTheLstmsNameAndModelOutputsFollowTheParts() {
        ModelGraph m = model("3.8.0", input("x"), lstm("enc", false, call(ref("x"))), layer("d", "Dense", call(ref("enc"))));
        ModelGraph r = rewrite(m, List.of(ref("d"), new TensorRef("enc", 0, 2)));
        assertEquals(List.of("x", "enc__lstm", "enc", "enc__c", "d"), names(r));
        assertEquals("output", r.layer("enc").config().path("graft_part").asText());
        assertEquals(List.of(ref("d"), ref("enc__c")), r.outputs());
        assertEquals(List.of(ref("enc")), r.layer("d").calls().get(0).inputs());
    }

    @Test
    void plainLstmsAndUnusedStatesStayWithDl4j() {
        ModelGraph plain = model("2.2.4", input("x"), lstm("a", false, call(ref("x"))), lstm("b", true, call(ref("a"))));
        ModelGraph p = plain.withLayers(plain.layers(), plain.inputs(), List.of(ref("b")));
        assertSame(p, LstmStateRewrite.apply(p));
        ObjectNode c = lstmConfig("s", false);
        c.put("return_state", true);   // returns its state, which nothing reads
        ModelGraph unused = model("2.2.4", input("x"), new Layer("s", "LSTM", c, List.of(call(ref("x"))), List.of(), null));
        ModelGraph u = unused.withLayers(unused.layers(), unused.inputs(), List.of(ref("s")));
        assertSame(u, LstmStateRewrite.apply(u));
    }

    @Test
    void maskedLstmsGetTheMaskValueAndTheProducersMaskedOutput() {
        ObjectNode emb = Json.object();
        emb.put("mask_zero", true);
        ObjectNode masking = Json.object();
        masking.put("mask_value", -1.0);
        ModelGraph m = model("2.2.4", input("x"), input("y"),
                new Layer("e", "Embedding", emb, List.of(call(ref("x"))), List.of(), null),
                new Layer("mk", "Masking", masking, List.of(call(ref("y"))), List.of(), null),
                lstm("last", false, call(ref("e"))),          // masked last step: DL4J's import fails on it
                lstm("seq", true, call(ref("mk"))),           // masked sequences: DL4J's LSTM zeroes masked steps, Keras does not
                lstm("dec", true, call(ref("mk"), ref("last"), ref("last"))));
        ModelGraph r = rewrite(m, List.of(ref("seq"), ref("dec")));
        assertEquals("GraftLstmState", r.layer("last").className());
        assertEquals(0.0, r.layer("last").config().path("graft_mask_value").asDouble(), 0.0);
        assertEquals("state", r.layer("last").config().path("graft_masked_output").asText());
        assertEquals("keras2", r.layer("last").config().path("graft_hard_sigmoid").asText());
        assertEquals("GraftLstmState", r.layer("seq").className());
        assertEquals(-1.0, r.layer("seq").config().path("graft_mask_value").asDouble(), 0.0);
        assertEquals(-1.0, r.layer("dec").config().path("graft_mask_value").asDouble(), 0.0);
        assertEquals(List.of(ref("mk"), ref("last"), ref("last")), r.layer("dec").calls().get(0).inputs());

        ModelGraph tf = model("2.4.0-tf", input("x"), new Layer("e", "Embedding", emb, List.of(call(ref("x"))), List.of(), null),
                lstm("last", false, call(ref("e"))));
        assertEquals("previous", rewrite(tf, List.of(ref("last"))).layer("last").config().path("graft_masked_output").asText());
    }

    @Test
    void refusesSharedStatefulLstmsAndPartialInitialStates() {
        ModelGraph shared = model("3.8.0", input("x"), input("y"),
                lstm("enc", false, call(ref("x")), call(ref("y"))),
                layer("d", "Dense", call(new TensorRef("enc", 1, 1))));
        EngineException e = assertThrows(EngineException.class, () -> rewrite(shared, List.of(ref("d"))));
        assertTrue(e.getMessage().contains("called 2 times"), e.getMessage());
        ModelGraph two = model("3.8.0", input("x"), input("h"), lstm("dec", false, call(ref("x"), ref("h"))));
        e = assertThrows(EngineException.class, () -> rewrite(two, List.of(ref("dec"))));
        assertTrue(e.getMessage().contains("only as [h, c]"), e.getMessage());
    }

    // ---- building small graphs ----

    private static ModelGraph rewrite(ModelGraph m, List<TensorRef> outputs) {
        return LstmStateRewrite.apply(m.withLayers(m.layers(), m.inputs(), outputs));
    }

    private static ModelGraph model(String kerasVersion, Layer... layers) {
        return new ModelGraph("m", "Functional", List.of(layers), List.of(), List.of(), null, null,
                new SourceInfo(null, ModelFormat.KERAS_H5, "keras", kerasVersion, "tensorflow", 0));
    }

    private static TensorRef ref(String layer) {
        return TensorRef.of(layer);
    }

    private static LayerCall call(TensorRef... inputs) {
        return new LayerCall(List.of(inputs), Json.object());
    }

    private static Layer input(String name) {
        return new Layer(name, "InputLayer", Json.object(), List.of(), List.of(), null);
    }

    private static Layer layer(String name, String cls, LayerCall... calls) {
        return new Layer(name, cls, Json.object(), List.of(calls), List.of(), null);
    }

    private static ObjectNode lstmConfig(String name, boolean returnSequences) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("units", 4);
        c.put("return_sequences", returnSequences);
        return c;
    }

    private static Layer lstm(String name, boolean returnSequences, LayerCall... calls) {
        List<dev.graft.model.Weight> w = new ArrayList<>();
        for (String role : new String[]{"kernel", "recurrent_kernel", "bias"}) {
            w.add(dev.graft.model.Weight.inMemory(name + "/" + role + ":0",
                    dev.graft.model.HostArray.ofFloats(new long[]{1}, new float[1]), true));
        }
        return new Layer(name, "LSTM", lstmConfig(name, returnSequences), List.of(calls), w, null);
    }

    private static List<String> names(ModelGraph m) {
        return m.layers().stream().map(Layer::name).toList();
    }
}
