package dev.graft.surgery;

import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.util.Comparator;
import java.util.List;

/** Finding a layer by the name a user typed, and when there is none, the names they probably meant. */
final class Names {
    private Names() {
    }

    /**
     * The layer of a flat graph with that name. A nested layer may also be written
     * {@code outer/inner}: the flat graph keeps inner names where they do not collide.
     */
    static Layer require(ModelGraph g, String name, String option) {
        Layer l = g.layer(name);
        if (l == null && name.contains("/")) l = g.layer(name.substring(name.lastIndexOf('/') + 1));
        if (l != null) return l;
        List<String> near = nearest(g.layers().stream().map(Layer::name).toList(), name, 3);
        throw new MergeException(option + " " + name + ": the model has no layer '" + name + "'"
                + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near)));
    }

    /**
     * Up to {@code n} names closest to {@code typed}: names containing what was typed first (a user
     * typing {@code pool} means {@code max_pooling1d}), then by edit distance, ties in the model's order.
     */
    static List<String> nearest(List<String> names, String typed, int n) {
        String t = typed.toLowerCase();
        Comparator<String> byContaining = Comparator.comparingInt(s -> s.toLowerCase().contains(t) ? 0 : 1);
        return names.stream().sorted(byContaining.thenComparingInt(s -> distance(s.toLowerCase(), t))).limit(n).toList();
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
