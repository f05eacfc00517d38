package dev.graft.engine.train;

import dev.graft.GraftException;
import dev.graft.model.HostArray;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --class-weight}: Keras's {@code fit(class_weight=...)}. Each training sample's loss is
 * multiplied by its class's weight and the batch's loss is the mean of the products (Keras divides by
 * the batch size, not by the sum of the weights); validation losses are not weighted. A sample's
 * class is its label's argmax (one-hot rows), or the label itself rounded (class indices, 0/1 labels),
 * as Keras finds it. {@code balanced} gives each class {@code samples / (classes · samples of the class)}
 * (scikit-learn's rule, over the classes present in the training labels); a class not listed weighs 1.
 */
public final class ClassWeights {
    private ClassWeights() {
    }

    /** The class of each row of the labels (Keras layout, one row per sample). */
    static int[] classes(HostArray y) {
        long[] s = y.shape();
        int rows = Math.toIntExact(s[0]);
        int width = Math.toIntExact(y.size() / Math.max(1, rows));
        int[] c = new int[rows];
        for (int r = 0; r < rows; r++) {
            if (width > 1) {
                int best = 0;
                for (int i = 1; i < width; i++) if (y.getDouble((long) r * width + i) > y.getDouble((long) r * width + best)) best = i;
                c[r] = best;
            } else {
                c[r] = (int) Math.round(y.getDouble(r));
            }
        }
        return c;
    }

    /** Parses {@code balanced} or {@code CLASS=WEIGHT,...} (one-line refusal otherwise); null spec gives null. */
    public static Map<Integer, Double> parse(String spec) {
        if (spec == null) return null;
        Map<Integer, Double> out = new TreeMap<>();
        if (spec.trim().equalsIgnoreCase("balanced")) return out; // filled from the labels
        for (String part : spec.split(",")) {
            String[] kv = part.split("=");
            try {
                if (kv.length != 2) throw new NumberFormatException();
                int c = Integer.parseInt(kv[0].trim());
                double w = Double.parseDouble(kv[1].trim());
                if (c < 0 || !(w >= 0) || Double.isInfinite(w)) throw new NumberFormatException();
                if (out.put(c, w) != null) throw new GraftException("--class-weight '" + spec + "': class " + c + " is given twice");
            } catch (NumberFormatException e) {
                throw new GraftException("--class-weight '" + spec + "': use balanced or CLASS=WEIGHT,... (e.g. 0=1,1=5), classes from 0, weights 0 or more");
            }
        }
        return out;
    }

    /** Each training sample's weight. */
    static float[] perSample(String spec, HostArray y) {
        Map<Integer, Double> given = parse(spec);
        int[] c = classes(y);
        Map<Integer, Double> weights = given;
        if (spec.trim().equalsIgnoreCase("balanced")) {
            Map<Integer, Integer> counts = new TreeMap<>();
            for (int k : c) counts.merge(k, 1, Integer::sum);
            weights = new TreeMap<>();
            for (Map.Entry<Integer, Integer> e : counts.entrySet()) weights.put(e.getKey(), (double) c.length / (counts.size() * e.getValue()));
        }
        float[] w = new float[c.length];
        for (int i = 0; i < c.length; i++) w[i] = weights.getOrDefault(c[i], 1.0).floatValue();
        return w;
    }
}
