package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The public entry points: class lookup, null handling and the unknown-class messages. */
class ShapeInferenceTest {

    @Test
    void unknownClassesAreReportedByName() {
        assertFalse(ShapeInference.isKnown("L1Distance"));
        ShapeInferenceException e = assertThrows(ShapeInferenceException.class,
                () -> ShapeInference.outputShapes("L1Distance", null, List.of(s(13), s(13))));
        assertEquals("unknown layer class 'L1Distance'", e.getMessage());
    }

    @Test
    void nestedModelsAreNotLayers() {
        assertFalse(ShapeInference.isKnown("Sequential"));
        ShapeInferenceException e = assertThrows(ShapeInferenceException.class,
                () -> ShapeInference.outputShapes("Functional", null, List.of(s(13))));
        assertEquals("'Functional' is a nested model, not a layer: infer the shapes of its own layers", e.getMessage());
    }

    @Test
    void nullConfigReadsAsEmpty() {
        assertEquals(List.of(s(8)), ShapeInference.outputShapes("Add", null, List.of(s(8), s(8))));
    }

    @Test
    void missingInputShapesAreRejected() {
        assertEquals("Dense input shapes are missing", assertThrows(ShapeInferenceException.class,
                () -> ShapeInference.outputShapes("Dense", null, null)).getMessage());
        List<Shape> withNull = Arrays.asList(s(3), null);
        assertEquals("Add input shapes are missing", assertThrows(ShapeInferenceException.class,
                () -> ShapeInference.outputShapes("Add", null, withNull)).getMessage());
    }

    @Test
    void knownClassesCoverEveryFamilyAndKeras1Names() {
        Set<String> known = ShapeInference.knownClasses();
        for (String cls : List.of("InputLayer", "Dense", "Activation", "Dropout", "Conv1D", "Conv2D", "Conv3D",
                "Convolution2D", "AtrousConvolution1D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D",
                "LocallyConnected2D", "MaxPooling2D", "GlobalAveragePooling1D", "Flatten", "Reshape", "Permute",
                "RepeatVector", "ZeroPadding2D", "Cropping3D", "UpSampling2D", "LSTM", "GRU", "SimpleRNN",
                "ConvLSTM2D", "Bidirectional", "TimeDistributed", "TimeDistributedDense", "Embedding", "Add",
                "Concatenate", "Dot", "Merge", "Lambda", "TFOpLambda", "TensorFlowOpLayer", "MultiHeadAttention")) {
            assertTrue(known.contains(cls), cls);
            assertTrue(ShapeInference.isKnown(cls), cls);
        }
        assertFalse(ShapeInference.isKnown(null));
        assertThrows(UnsupportedOperationException.class, () -> known.add("L1Distance"));
    }

    @Test
    void resultsAreImmutable() {
        List<Shape> out = ShapeInference.outputShapes("Dense", ShapeAssertions.json("{'units': 3}"), List.of(s(4)));
        assertThrows(UnsupportedOperationException.class, () -> out.add(s(1)));
    }
}
