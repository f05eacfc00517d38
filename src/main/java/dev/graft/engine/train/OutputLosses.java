package dev.graft.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.format.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The loss of each model output, in the model's output order, and its weight in the total, as Keras's
 * {@code compile(loss=..., loss_weights=...)} gives them: one loss for every output, a list in output
 * order, or a dict by output name. The total Keras minimises and reports as {@code loss} is the weighted
 * sum of the outputs' losses, each the mean over its batch.
 *
 * @param names   the model's output names, in order
 * @param weights each output's weight in the total (1 unless given)
 */
public record OutputLosses(List<String> names, List<LossSettings> losses, double[] weights) {
    public OutputLosses {
        names = List.copyOf(names);
        losses = List.copyOf(losses);
        weights = weights.clone();
    }

    /** One output with weight 1. */
    public static OutputLosses single(String name, LossSettings loss) {
        return new OutputLosses(List.of(name), List.of(loss), new double[] {1});
    }

    public int size() {
        return names.size();
    }

    public LossSettings get(int output) {
        return losses.get(output);
    }

    public double weight(int output) {
        return weights[output];
    }

    /**
     * Resolves each output's loss.
     *
     * @param given    {@code --loss}: one name for every output, {@code NAME,NAME} in output order or
     *                 {@code OUT=NAME,...}; null for the stored loss
     * @param stored   the model's stored {@code loss} (a name, an object, a list or a dict), or null
     * @param parse    a loss given as JSON (a name or Keras's object form) to its settings, with {@code --loss-arg}
     * @param givenWeights {@code --loss-weights} ({@code W,W} in output order or {@code OUT=W,...}), or null
     * @param storedWeights the stored {@code loss_weights} (a list or a dict), or null
     */
    public static OutputLosses resolve(List<String> outputs, String given, JsonNode stored, Function<JsonNode, LossSettings> parse,
                                       String givenWeights, JsonNode storedWeights) {
        List<JsonNode> perOutput = given != null ? perOutput(outputs, given, "--loss") : perOutput(outputs, stored);
        List<LossSettings> losses = new ArrayList<>();
        for (JsonNode l : perOutput) losses.add(parse.apply(l));
        double[] weights = new double[outputs.size()];
        java.util.Arrays.fill(weights, 1);
        List<JsonNode> w = givenWeights != null ? perOutput(outputs, givenWeights, "--loss-weights")
                : storedWeights == null || storedWeights.isNull() ? null : perOutput(outputs, storedWeights);
        if (w != null) {
            for (int i = 0; i < weights.length; i++) {
                JsonNode v = w.get(i);
                double d = v.isNumber() ? v.asDouble() : parseWeight(v.asText(), outputs.get(i));
                // The engine's per-output loss is read back divided by its weight (the history reports each
                // output's own loss, as Keras does): a weight of 0 would leave nothing to divide.
                if (!(d > 0) || Double.isInfinite(d)) {
                    throw new GraftException("loss weight " + v.asText() + " of output '" + outputs.get(i) + "': graft trains with weights above 0"
                            + " (leave an output out by --trainable instead)");
                }
                weights[i] = d;
            }
        }
        return new OutputLosses(outputs, losses, weights);
    }

    private static double parseWeight(String text, String output) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new GraftException("--loss-weights: '" + text + "' for output '" + output + "' is not a number");
        }
    }

    /**
     * A per-output option's values in output order: one value for every output, values in output
     * order ({@code a,b}), or by output name ({@code out1=a,out2=b}).
     */
    static List<JsonNode> perOutput(List<String> outputs, String spec, String option) {
        String[] parts = spec.split(",");
        boolean named = spec.contains("=");
        if (!named && parts.length == 1) return repeat(Json.object().textNode(spec.trim()), outputs.size());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        List<JsonNode> positional = new ArrayList<>();
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (named != eq > 0) throw new dev.graft.UsageException(option + " '" + spec + "': give every value as OUTPUT=VALUE, or none");
            if (eq > 0) byName.put(part.substring(0, eq).trim(), Json.object().textNode(part.substring(eq + 1).trim()));
            else positional.add(Json.object().textNode(part.trim()));
        }
        return named ? byName(outputs, byName, option) : inOrder(outputs, positional, option);
    }

    /** A stored value: the same for every output, a list in output order, or a dict by output name. */
    static List<JsonNode> perOutput(List<String> outputs, JsonNode stored) {
        if (stored == null || stored.isNull()) return repeat(null, outputs.size());
        if (stored.isArray()) {
            List<JsonNode> list = new ArrayList<>();
            stored.forEach(list::add);
            if (list.size() == 1) return repeat(list.get(0), outputs.size());
            return inOrder(outputs, list, "stored loss");
        }
        if (stored.isObject() && !stored.has("class_name")) {
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            stored.fields().forEachRemaining(e -> byName.put(e.getKey(), e.getValue()));
            return byName(outputs, byName, "stored loss");
        }
        return repeat(stored, outputs.size());
    }

    private static List<JsonNode> repeat(JsonNode v, int n) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(v);
        return out;
    }

    private static List<JsonNode> inOrder(List<String> outputs, List<JsonNode> values, String option) {
        if (values.size() != outputs.size()) {
            throw new GraftException(option + ": " + values.size() + " values for the model's " + outputs.size() + " outputs ("
                    + String.join(", ", outputs) + "); give one per output in that order, or OUTPUT=VALUE");
        }
        return values;
    }

    private static List<JsonNode> byName(List<String> outputs, Map<String, JsonNode> values, String option) {
        for (String n : values.keySet()) {
            if (!outputs.contains(n)) {
                throw new GraftException(option + ": the model has no output '" + n + "' (outputs: " + String.join(", ", outputs) + ")");
            }
        }
        List<JsonNode> out = new ArrayList<>();
        for (String n : outputs) {
            if (!values.containsKey(n)) {
                throw new GraftException(option + ": no value for output '" + n + "' (outputs: " + String.join(", ", outputs) + ")");
            }
            out.add(values.get(n));
        }
        return out;
    }

    /** What Keras records as {@code loss}: the one loss, or a dict by output name. */
    public JsonNode toKerasConfig() {
        if (size() == 1) return losses.get(0).toKerasConfig();
        ObjectNode o = Json.object();
        for (int i = 0; i < size(); i++) o.set(names.get(i), losses.get(i).toKerasConfig());
        return o;
    }

    /** What Keras records as {@code loss_weights}: null when every weight is 1, else a dict by output name. */
    public JsonNode weightsConfig() {
        boolean all1 = true;
        for (double w : weights) all1 &= w == 1;
        if (all1) return null;
        ObjectNode o = Json.object();
        for (int i = 0; i < size(); i++) o.put(names.get(i), weights[i]);
        return o;
    }

    /** The history's name of an output's value: Keras's {@code <output>_<name>} when there are several outputs. */
    public String key(int output, String name) {
        return size() == 1 ? name : names.get(output) + "_" + name;
    }
}
