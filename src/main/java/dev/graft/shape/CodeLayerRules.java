package dev.graft.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Layers defined by code rather than by config: Keras {@code Lambda} and the TensorFlow op
 * layers tf.keras writes for raw TF calls. graft cannot run that code, so it answers only when
 * the config itself pins the shape down (a declared {@code output_shape}, a shape-preserving op,
 * a constant permutation or target shape).
 */
final class CodeLayerRules {
    /** TF functions (TFOpLambda {@code function}) whose output has their first argument's shape. */
    private static final Set<String> SHAPE_PRESERVING_FUNCTIONS = Set.of(
            "math.l2_normalize", "nn.l2_normalize", "linalg.l2_normalize",
            "math.sigmoid", "nn.sigmoid", "math.tanh", "nn.tanh", "nn.relu", "nn.relu6", "nn.elu",
            "nn.selu", "nn.gelu", "nn.silu", "nn.swish", "nn.leaky_relu", "nn.softplus", "math.softplus",
            "nn.softmax", "math.softmax", "nn.log_softmax", "math.log_softmax",
            "math.exp", "math.log", "math.log1p", "math.abs", "math.sqrt", "math.rsqrt", "math.square",
            "math.negative", "math.reciprocal", "math.sign", "math.round", "math.floor", "math.ceil",
            "math.sin", "math.cos", "math.erf", "identity", "stop_gradient", "cast", "dtypes.cast");
    /** TF graph ops (TensorFlowOpLayer {@code node_def.op}) whose output has their input's shape. */
    private static final Set<String> SHAPE_PRESERVING_OPS = Set.of(
            "Relu", "Relu6", "Elu", "Selu", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax",
            "Exp", "Log", "Log1p", "Abs", "Sqrt", "Rsqrt", "Square", "Neg", "Reciprocal", "Sign",
            "Round", "Floor", "Ceil", "Sin", "Cos", "Erf", "Identity", "StopGradient", "Cast");

    private CodeLayerRules() {}

    static void register(RuleRegistry r) {
        r.add(CodeLayerRules::declaredOutputShape, "Lambda");
        r.add(CodeLayerRules::tfFunction, "TFOpLambda", "SlicingOpLambda");
        r.add(CodeLayerRules::tfGraphOp, "TensorFlowOpLayer");
    }

    /**
     * A Python-defined layer whose config may declare {@code output_shape} without the batch axis
     * (one list per output when there are several); the batch is the first input's. A Python
     * function as {@code output_shape} is as opaque as the layer's own function.
     */
    static List<Shape> declaredOutputShape(InferenceCall call) {
        LayerConfig c = call.config();
        JsonNode declared = c.get("output_shape");
        String type = c.string("raw", "output_shape_type");
        if (declared == null) {
            throw new ShapeInferenceException(call.className()
                    + ": output shape cannot be known without running Python code"
                    + " (the layer's config declares no output_shape)");
        }
        if (!type.equals("raw") || !declared.isArray()) {
            throw new ShapeInferenceException(call.className()
                    + ": output shape cannot be known without running Python code"
                    + " (its output_shape is a Python function)");
        }
        Long batch = call.firstInput().dim(0);
        List<Shape> out = new ArrayList<>();
        if (declared.size() > 0 && declared.get(0).isArray()) {
            for (JsonNode one : declared) out.add(withBatch(call, batch, one));
        } else {
            out.add(withBatch(call, batch, declared));
        }
        return out;
    }

    private static Shape withBatch(InferenceCall call, Long batch, JsonNode dims) {
        List<Long> d = new ArrayList<>();
        d.add(batch);
        for (JsonNode x : dims) {
            if (x.isNull()) {
                d.add(null);
            } else if (x.isIntegralNumber()) {
                d.add(x.asLong());
            } else {
                throw call.error("output_shape " + dims + " should list integers or null");
            }
        }
        return Shape.of(d);
    }

    /** tf.keras's wrapper of a {@code tf.*} function call (TF 2.4+). */
    private static List<Shape> tfFunction(InferenceCall call) {
        String function = call.config().string("", "function");
        if (SHAPE_PRESERVING_FUNCTIONS.contains(function)) return List.of(call.firstInput());
        throw call.error("calling tf." + function + ": output shape unknown to graft"
                + " (it depends on TensorFlow code and call arguments)");
    }

    /**
     * tf.keras 2.0-2.3's wrapper of a raw TF graph op; {@code constants} holds the op's constant
     * inputs by position (input 0 is the tensor).
     */
    private static List<Shape> tfGraphOp(InferenceCall call) {
        JsonNode nodeDef = call.config().get("node_def");
        String op = nodeDef == null ? "" : nodeDef.path("op").asText();
        if (SHAPE_PRESERVING_OPS.contains(op)) return List.of(call.firstInput());
        JsonNode constant = call.config().json().path("constants").path("1");
        if (op.equals("Transpose") && constant.isArray()) return List.of(transpose(call, constant));
        if (op.equals("Reshape") && constant.isArray()) return List.of(reshape(call, constant));
        throw call.error("op '" + op + "': output shape unknown to graft");
    }

    /** The permutation includes the batch axis (axis 0), unlike Keras's Permute. */
    private static Shape transpose(InferenceCall call, JsonNode perm) {
        Shape in = call.firstInput();
        if (perm.size() != in.rank()) {
            throw call.error("Transpose permutation " + perm + " does not match the rank of " + in);
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode p : perm) out.add(in.dim(p.asInt()));
        return Shape.of(out);
    }

    /**
     * The target includes the batch axis. A {@code -1} first with the rest holding one sample's
     * values is the usual "keep the batch" idiom; any other {@code -1} is solved only when every
     * input dimension, batch included, is known.
     */
    private static Shape reshape(InferenceCall call, JsonNode target) {
        Shape in = call.firstInput();
        List<Long> out = new ArrayList<>();
        int unknownAt = -1;
        long knownProduct = 1;
        for (int i = 0; i < target.size(); i++) {
            long t = target.get(i).asLong();
            if (t == -1) {
                unknownAt = i;
                out.add(null);
            } else {
                knownProduct *= t;
                out.add(t);
            }
        }
        if (unknownAt < 0) return Shape.of(out);
        long sample = in.elementsPerSample();
        if (unknownAt == 0 && sample >= 0 && knownProduct == sample) {
            out.set(0, in.dim(0));
        } else if (sample >= 0 && in.dim(0) != null && knownProduct != 0) {
            out.set(unknownAt, in.dim(0) * sample / knownProduct);
        }
        return Shape.of(out);
    }
}
