package dev.graft.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.GraftException;
import dev.graft.model.HostArray;
import java.util.Iterator;
import java.util.Map;

/**
 * A loss with its Keras arguments: {@code label_smoothing} (binary and categorical
 * cross-entropy), {@code delta} (Huber). Read from a name ({@code binary_crossentropy}, {@code mse})
 * or from Keras 3's object form in a stored config ({@code {"class_name": "BinaryCrossentropy",
 * "config": {"label_smoothing": 0.1, ...}}}). Arguments graft does not implement are accepted at
 * Keras's defaults only ({@code from_logits: false}, the mean over the batch, the last axis).
 */
public record LossSettings(LossKind kind, double labelSmoothing, double delta, boolean fromLogits) {
    public LossSettings(LossKind kind, double labelSmoothing, double delta) {
        this(kind, labelSmoothing, delta, false);
    }

    public static LossSettings of(LossKind kind) {
        return new LossSettings(kind, 0, 1.0, false);
    }

    /** The engine's loss that trains exactly this loss. */
    public org.nd4j.linalg.lossfunctions.ILossFunction lossFunction(long outputs) {
        return fromLogits ? new KerasLogitsLoss(kind.kerasName()) : kind.lossFunction(this, outputs);
    }

    /** Whether a DL4J zip can record this loss: the engine has it. */
    public boolean engineHasIt() {
        return kind.engineHasIt() && !fromLogits;
    }

    /**
     * The loss over whole predictions as Keras computes it (labels as {@link #lossLabels} gives them).
     *
     * @see LossKind#evaluate(float[], float[], int, int, int, double)
     */
    public double evaluate(float[] pred, float[] labels, int rows, int width, int labelWidth) {
        if (!fromLogits) return kind.evaluate(pred, labels, rows, width, labelWidth, delta);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int p0 = r * width, l0 = r * labelWidth;
            if (kind == LossKind.BINARY_CROSSENTROPY) {
                double row = 0;
                for (int k = 0; k < width; k++) {
                    double z = pred[p0 + k], y = labels[l0 + k];
                    row += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
                }
                total += row / width;
            } else {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int k = 0; k < width; k++) max = Math.max(max, pred[p0 + k]);
                for (int k = 0; k < width; k++) sum += Math.exp(pred[p0 + k] - max);
                double logSum = max + Math.log(sum);
                if (kind == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY) {
                    total += logSum - pred[p0 + Math.round(labels[l0])];
                } else {
                    for (int k = 0; k < width; k++) total -= labels[l0 + k] * (pred[p0 + k] - logSum);
                }
            }
        }
        return total / rows;
    }

    /** A name, or Keras's object form; {@code source} names where it came from in messages. */
    public static LossSettings parse(JsonNode loss, String source) {
        if (loss == null || loss.isNull()) throw new GraftException(source + ": no loss");
        if (loss.isTextual()) return of(LossKind.parse(loss.asText()));
        // Keras 3 stores a loss given as a function (keras.losses.categorical_crossentropy) as
        // {"module": "builtins", "class_name": "function", "config": "categorical_crossentropy"}
        if ("function".equals(loss.path("class_name").asText()) && loss.path("config").isTextual()) {
            return of(LossKind.parse(loss.path("config").asText()));
        }
        if (!loss.isObject() || !loss.has("class_name")) {
            throw new GraftException(source + ": a loss per output is not implemented by graft train (models with one output only)");
        }
        LossKind kind = LossKind.parse(loss.get("class_name").asText());
        double smoothing = 0, delta = 1.0;
        boolean fromLogits = false;
        Iterator<Map.Entry<String, JsonNode>> it = loss.path("config").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "name": case "dtype": case "fn":
                    break;
                case "reduction":
                    if (!v.isNull() && !v.asText().equals("sum_over_batch_size") && !v.asText().equals("auto")) {
                        throw new GraftException(source + ": loss reduction '" + v.asText() + "' is not implemented by graft train (the mean over the batch is)");
                    }
                    break;
                case "from_logits":
                    fromLogits = v.asBoolean(false);
                    if (fromLogits && kind.labels() != LossKind.Labels.ZERO_ONE && kind != LossKind.CATEGORICAL_CROSSENTROPY
                            && kind != LossKind.SPARSE_CATEGORICAL_CROSSENTROPY) {
                        throw new GraftException(source + ": from_logits applies to the cross-entropies only, not " + kind.kerasName());
                    }
                    break;
                case "axis":
                    if (!v.isNull() && v.asInt(-1) != -1) throw new GraftException(source + ": a loss over axis " + v + " is not implemented (the last axis is)");
                    break;
                case "ignore_class":
                    if (!v.isNull()) throw new GraftException(source + ": ignore_class is not implemented by graft train");
                    break;
                case "label_smoothing":
                    smoothing = v.asDouble(0);
                    if (smoothing != 0 && kind != LossKind.BINARY_CROSSENTROPY && kind != LossKind.CATEGORICAL_CROSSENTROPY) {
                        throw new GraftException(source + ": label_smoothing applies to binary and categorical cross-entropy only");
                    }
                    if (smoothing < 0 || smoothing > 1) throw new GraftException(source + ": label_smoothing must be in [0, 1]");
                    break;
                case "delta":
                    delta = v.asDouble(1.0);
                    if (kind != LossKind.HUBER) throw new GraftException(source + ": delta is Huber's argument, not " + kind.kerasName() + "'s");
                    break;
                default:
                    throw new GraftException(source + ": loss argument '" + e.getKey() + "' of " + loss.get("class_name").asText()
                            + " is not implemented by graft train");
            }
        }
        return new LossSettings(kind, smoothing, delta, fromLogits);
    }

    /** Keras's hinge losses take labels that are all 0 or 1 as −1 and 1. */
    private static HostArray hingeLabels(HostArray y) {
        float[] v = y.toFloatArray();
        for (float f : v) if (f != 0 && f != 1) return y;
        for (int i = 0; i < v.length; i++) v[i] = 2 * v[i] - 1;
        return HostArray.ofFloats(y.shape(), v);
    }

    /** A {@code --loss-arg} value as JSON: a number, true, false or none. */
    public static JsonNode argument(String raw) {
        String t = raw.trim().toLowerCase(java.util.Locale.ROOT);
        var f = dev.graft.format.Json.object();
        if (t.equals("none") || t.equals("null")) return f.nullNode();
        if (t.equals("true") || t.equals("false")) return f.booleanNode(t.equals("true"));
        try {
            return f.numberNode(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            return f.textNode(raw.trim());
        }
    }

    /** What Keras records: the name, or the object form when an argument differs from its default. */
    public JsonNode toKerasConfig() {
        var f = dev.graft.format.Json.object();
        if (labelSmoothing == 0 && delta == 1.0 && !fromLogits) return f.textNode(kind.kerasName());
        boolean huber = kind == LossKind.HUBER;
        f.put("class_name", huber ? "Huber" : kind == LossKind.BINARY_CROSSENTROPY ? "BinaryCrossentropy"
                : kind == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY ? "SparseCategoricalCrossentropy" : "CategoricalCrossentropy");
        var c = f.putObject("config");
        c.put("name", huber ? "huber_loss" : kind.kerasName());
        c.put("reduction", "sum_over_batch_size");
        if (huber) {
            c.put("delta", delta);
        } else if (kind == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY) {
            c.put("from_logits", fromLogits);
            c.putNull("ignore_class");
        } else {
            c.put("from_logits", fromLogits);
            c.put("label_smoothing", labelSmoothing);
            c.put("axis", -1);
        }
        return f;
    }

    /**
     * The labels the loss sees (the labels themselves when nothing changes): hinge losses take 0/1
     * labels as −1/1; Keras smooths binary labels towards 0.5 and one-hot labels towards
     * 1/classes ({@code y·(1 − s) + s/2}, {@code y·(1 − s) + s/K}); metrics see the labels as given.
     */
    public HostArray lossLabels(HostArray y) {
        if (kind == LossKind.HINGE || kind == LossKind.SQUARED_HINGE) return hingeLabels(y);
        if (labelSmoothing == 0) return y;
        long[] shape = y.shape();
        double k = kind == LossKind.BINARY_CROSSENTROPY ? 2 : shape[shape.length - 1];
        float[] v = y.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * (1 - labelSmoothing) + labelSmoothing / k);
        return HostArray.ofFloats(shape, v);
    }
}
