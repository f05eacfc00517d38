package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.Computability;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.TensorRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Keras's Normalization: (x - mean) / max(sqrt(variance), 1e-7) per feature, mean + x * std inverted; what is refused. */
class FeatureNormalizationActivationTest {
    private static final INDArray X = Nd4j.createFromArray(new float[][] {{3, 0, 1}, {-1, 2, 5}});

    @Test
    void normalizesPerFeatureAndFloorsTheDeviation() {
        FeatureNormalizationActivation f = new FeatureNormalizationActivation(new double[] {1, -2, 0.5}, new double[] {4, 0.25, 0}, false);
        INDArray y = f.getActivation(X.dup(), false);
        assertArrayEquals(new float[] {1, 4, 0.5f / 1e-7f, -1, 8, 4.5f / 1e-7f}, y.reshape(6).toFloatVector(), 1e-3f);
        INDArray g = f.backprop(X.dup(), Nd4j.ones(2, 3)).getFirst();
        assertArrayEquals(new float[] {0.5f, 2, 1e7f, 0.5f, 2, 1e7f}, g.reshape(6).toFloatVector(), 1e-3f);
    }

    @Test
    void invertedAndOneValueForEveryFeature() {
        FeatureNormalizationActivation f = new FeatureNormalizationActivation(new double[] {2}, new double[] {9}, true);
        INDArray y = f.getActivation(X.dup(), false);
        assertArrayEquals(new float[] {11, 2, 5, -1, 8, 17}, y.reshape(6).toFloatVector(), 1e-6f);
        INDArray g = f.backprop(X.dup(), Nd4j.ones(2, 3)).getFirst();
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, g.reshape(6).toFloatVector(), 1e-6f);
    }

    @Test
    void moreThanAMatrixAndEveryAxisAreRefusedByName() {
        ObjectNode c = Json.object();
        c.put("name", "norm");
        c.putArray("axis").add(-1);
        assertEquals("(Normalization): argument axis=[-1] is not computed by graft (graft computes Normalization of (batch, features) inputs only, not rank 4)",
                Computability.whyNot(layer(c), 3, 4));
        assertEquals(null, Computability.whyNot(layer(c), 3, 2));
        c.putNull("axis");
        assertEquals("(Normalization): argument axis=null is not computed by graft (graft computes it over the features only, not over every axis)",
                Computability.whyNot(layer(c), 3, 2));
    }

    private static Layer layer(ObjectNode c) {
        return new Layer("norm", "Normalization", c, List.of(new LayerCall(List.of(TensorRef.of("x")), Json.object())), List.of(), null);
    }
}
