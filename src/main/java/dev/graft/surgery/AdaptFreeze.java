package dev.graft.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code adapt --freeze}: {@code kept} (every layer kept from the source), {@code none}, or
 * named layers. Layers adapt adds are always trainable.
 */
public record AdaptFreeze(boolean kept, List<String> layers) {
    public static final AdaptFreeze NONE = new AdaptFreeze(false, List.of());

    public AdaptFreeze {
        layers = List.copyOf(layers);
    }

    public static AdaptFreeze parse(String s) {
        String t = s.trim();
        if (t.toLowerCase(Locale.ROOT).equals("kept")) return new AdaptFreeze(true, List.of());
        if (t.toLowerCase(Locale.ROOT).equals("none")) return NONE;
        List<String> names = new ArrayList<>();
        for (String n : t.split(",")) {
            if (n.isBlank()) throw new IllegalArgumentException("bad --freeze '" + s + "': use kept, none or LAYER,LAYER,...");
            names.add(n.trim());
        }
        return new AdaptFreeze(false, names);
    }

    @Override
    public String toString() {
        return kept ? "kept" : layers.isEmpty() ? "none" : String.join(",", layers);
    }
}
