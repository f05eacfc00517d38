package dev.graft.engine;

import java.util.Map;

/**
 * One network of a splice chain.
 *
 * @param model  the donor on the engine, with its inputs' and outputs' layouts
 * @param names  new names for its vertices (old name to new); vertices not listed keep theirs. The
 *               caller makes them unique across the hybrid (typically by prefixing).
 * @param frozen whether training the hybrid may change this donor's parameters
 */
public record SpliceDonor(EngineModel model, Map<String, String> names, boolean frozen) {
    public SpliceDonor {
        names = Map.copyOf(names);
    }

    /** The donor as it is: its own names, trainable. */
    public static SpliceDonor of(EngineModel model) {
        return new SpliceDonor(model, Map.of(), false);
    }

    String rename(String vertex) {
        return names.getOrDefault(vertex, vertex);
    }
}
