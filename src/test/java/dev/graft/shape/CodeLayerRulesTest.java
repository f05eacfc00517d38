package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.assertShapes;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.infer;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.model.Shape;
import org.junit.jupiter.api.Test;

class CodeLayerRulesTest {

    /** keras/models/examples__lambda__sequential_lambda.h5: a Lambda with output_shape null. */
    @Test
    void lambdaWithoutOutputShapeCannotBeInferred() {
        String config = "{'function': ['c\\u0001\\u0000', null, null], 'name': 'lambda_1', 'trainable': true,"
                + " 'function_type': 'lambda', 'arguments': {}, 'output_shape': null, 'output_shape_type': 'raw'}";
        assertEquals("Lambda: output shape cannot be known without running Python code"
                + " (the layer's config declares no output_shape)", error("Lambda", config, s(64)));
    }

    @Test
    void lambdaWithDeclaredOutputShape() {
        // output_shape excludes the batch, which comes from the first input
        assertShape("(None, 1, 20)", one("Lambda", "{'function': ['...', null, null], 'function_type': 'lambda',"
                + " 'output_shape': [1, 20], 'output_shape_type': 'raw', 'arguments': {}}", s(5, 20)));
        assertShape("(8, None, 4)", one("Lambda", "{'output_shape': [null, 4]}", Shape.of(8L, 3L, 4L)));
        assertShapes("[(None, 2), (None, 3, 3)]",
                infer("Lambda", "{'output_shape': [[2], [3, 3]], 'output_shape_type': 'raw'}", s(5)));
        assertEquals("Lambda: output shape cannot be known without running Python code"
                        + " (its output_shape is a Python function)",
                error("Lambda", "{'output_shape': ['4wEAAAAA', null, null], 'output_shape_type': 'lambda'}", s(5)));
        // Keras 3 serializes a callable output_shape as an object
        assertEquals("Lambda: output shape cannot be known without running Python code"
                        + " (its output_shape is a Python function)",
                error("Lambda", "{'output_shape': {'class_name': '__lambda__', 'config': {'code': '...'}}}", s(5)));
    }

    /** wild/twotower_nested_tfoplambda_tf212.h5: tf.math.l2_normalize keeps the shape. */
    @Test
    void tfOpLambda() {
        assertShape("(None, 32)", one("TFOpLambda", "{'name': 'tf.math.l2_normalize', 'trainable': true,"
                + " 'dtype': 'float32', 'function': 'math.l2_normalize'}", s(32)));
        assertEquals("TFOpLambda calling tf.math.reduce_sum: output shape unknown to graft"
                        + " (it depends on TensorFlow code and call arguments)",
                error("TFOpLambda", "{'name': 'tf.math.reduce_sum', 'function': 'math.reduce_sum'}", s(32)));
    }

    /** keras/models/tfkeras__permute.h5 and tfkeras__reshape.h5 (tf.keras 2.2.4). */
    @Test
    void tensorFlowOpLayer() {
        assertShape("(None, 2, 3)", one("TensorFlowOpLayer", "{'name': 'transpose_1', 'trainable': true,"
                + " 'dtype': 'float32', 'node_def': {'name': 'transpose_1', 'op': 'Transpose', 'input': ['input_1',"
                + " 'transpose_1/perm'], 'attr': {'Tperm': {'type': 'DT_INT32'}, 'T': {'type': 'DT_FLOAT'}}},"
                + " 'constants': {'1': [0, 2, 1]}}", s(3, 2)));
        assertShape("(None, 6)", one("TensorFlowOpLayer", "{'name': 'Reshape', 'trainable': true, 'dtype': 'float32',"
                + " 'node_def': {'name': 'Reshape', 'op': 'Reshape', 'input': ['input_2', 'Reshape/shape'],"
                + " 'attr': {'T': {'type': 'DT_FLOAT'}, 'Tshape': {'type': 'DT_INT32'}}}, 'constants': {'1': [-1, 6]}}",
                s(3, 2)));
        // a -1 elsewhere is solved only with a known batch
        assertShape("(4, 2, 3)", one("TensorFlowOpLayer",
                "{'node_def': {'op': 'Reshape'}, 'constants': {'1': [4, -1, 3]}}", Shape.of(4L, 3L, 2L)));
        assertShape("(None, 10)", one("TensorFlowOpLayer", "{'node_def': {'op': 'Relu'}}", s(10)));
        assertEquals("TensorFlowOpLayer op 'MatMul': output shape unknown to graft",
                error("TensorFlowOpLayer", "{'node_def': {'op': 'MatMul'}, 'constants': {}}", s(10)));
    }
}
