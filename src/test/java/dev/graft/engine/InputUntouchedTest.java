package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.surgery.KerasLayerFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's activation layer works in place at inference: on a network input it overwrote the array
 * it was given, and a second consumer of that input saw the overwritten values. Here the input
 * feeds an element-wise layer and, beside it, a Concatenate: Keras gives {@code [f(x), x]}.
 */
class InputUntouchedTest {
    private static final float[] X = {-2, -0.5f, 0, 1.5f, 3, 4};

    @ParameterizedTest
    @ValueSource(strings = {"Rescaling", "Normalization", "Activation", "ReLU"})
    void anElementWiseLayerOnTheInputLeavesTheInputAlone(String className) {
        ModelGraph model = model(className);
        EngineModel engine = EngineModel.ofKeras(model);
        HostArray x = HostArray.ofFloats(new long[] {2, 3}, X.clone());
        HostArray got = engine.predict(x)[0];
        assertArrayEquals(X, x.floatData(), 0f, "predict changed its input");
        float[] want = new float[12];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                float v = X[r * 3 + c];
                want[r * 6 + c] = f(className, v, c);
                want[r * 6 + 3 + c] = v;
            }
        }
        assertClose(HostArray.ofFloats(new long[] {2, 6}, want), got, 1e-6);

        // The network itself, as a DL4J user of graft's .zip runs it.
        INDArray in = Nd4j.createFromArray(new float[][] {Arrays.copyOfRange(X, 0, 3), Arrays.copyOfRange(X, 3, 6)});
        INDArray before = in.dup();
        engine.graph().output(false, in);
        assertTrue(before.equals(in), "the network changed the array it was given: " + in);
    }

    private static float f(String className, float v, int feature) {
        switch (className) {
            case "Rescaling": return v * 2 + 1;
            case "Normalization": return (v - (feature + 1)) / 2;
            default: return Math.max(0, v);
        }
    }

    private static ModelGraph model(String className) {
        ObjectNode c = Json.object();
        c.put("name", "f");
        c.put("trainable", true);
        c.put("dtype", "float32");
        List<dev.graft.model.Weight> weights = List.of();
        switch (className) {
            case "Rescaling":
                c.put("scale", 2.0);
                c.put("offset", 1.0);
                break;
            case "Normalization":
                c.putArray("axis").add(-1);
                c.putArray("mean").add(1.0).add(2.0).add(3.0);
                c.putArray("variance").add(4.0).add(4.0).add(4.0);
                c.put("invert", false);
                break;
            case "Activation":
                c.put("activation", "relu");
                break;
            default:
                c.putNull("max_value");
                c.put("negative_slope", 0.0);
                c.put("threshold", 0.0);
        }
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, 3L));
        Layer layer = new Layer("f", className, c, List.of(new LayerCall(List.of(TensorRef.of("input")), Json.object())), weights, null);
        ObjectNode cc = Json.object();
        cc.put("name", "concat");
        cc.put("trainable", true);
        cc.put("dtype", "float32");
        cc.put("axis", -1);
        Layer concat = new Layer("concat", "Concatenate", cc,
                List.of(new LayerCall(List.of(TensorRef.of("f"), TensorRef.of("input")), Json.object())), List.of(), null);
        return new ModelGraph("m", "Model", List.of(in, layer, concat), List.of(TensorRef.of("input")), List.of(TensorRef.of("concat")),
                null, null, new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1));
    }
}
