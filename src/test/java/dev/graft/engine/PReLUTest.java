package dev.graft.engine;

import static dev.graft.testutil.ArrayAssertions.assertClose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.format.Json;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.model.Weight;
import dev.graft.surgery.KerasLayerFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras's PReLU computes {@code x} for {@code x >= 0} and {@code alpha * x} below, with the
 * file's alpha. (DL4J's own import drops alpha and computes a ReLU.)
 */
class PReLUTest {
    @ParameterizedTest(name = "input {0}")
    @ValueSource(strings = {"4", "3x2"})
    void usesTheFilesAlpha(String sample) {
        long[] dims = Arrays.stream(sample.split("x")).mapToLong(Long::parseLong).toArray();
        List<Long> batch = new ArrayList<>();
        batch.add(null);
        for (long d : dims) batch.add(d);
        int n = Math.toIntExact(HostArray.size(dims));
        float[] alpha = new float[n];
        for (int i = 0; i < n; i++) alpha[i] = 0.05f * (i + 1);

        ObjectNode c = Json.object();
        c.put("name", "prelu_1");
        c.put("trainable", true);
        c.put("dtype", "float32");
        ObjectNode init = c.putObject("alpha_initializer");
        init.put("class_name", "Zeros");
        init.putObject("config");
        c.putNull("alpha_regularizer");
        c.putNull("alpha_constraint");
        c.putNull("shared_axes");
        Layer in = KerasLayerFactory.input("input", batch);
        Layer prelu = new Layer("prelu_1", "PReLU", c, List.of(new LayerCall(List.of(TensorRef.of("input")), Json.object())),
                List.of(Weight.inMemory("prelu_1/alpha:0", HostArray.ofFloats(dims, alpha), true)), null);
        ModelGraph g = new ModelGraph("m", "Model", List.of(in, prelu), List.of(TensorRef.of("input")), List.of(TensorRef.of("prelu_1")),
                null, null, new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1));

        long[] shape = new long[dims.length + 1];
        shape[0] = 2;
        System.arraycopy(dims, 0, shape, 1, dims.length);
        float[] x = new float[2 * n];
        float[] y = new float[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 3 == 0 ? 1 : -1) * (0.5f + i);
            y[i] = x[i] >= 0 ? x[i] : alpha[i % n] * x[i];
        }
        HostArray out = EngineModel.ofKeras(g).predict(HostArray.ofFloats(shape, x))[0];
        assertClose(HostArray.ofFloats(shape, y), out, 1e-6);
    }
}
