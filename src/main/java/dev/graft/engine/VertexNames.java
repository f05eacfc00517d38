package dev.graft.engine;

import java.util.HashMap;
import java.util.Map;

/** The names taken in a hybrid under construction: DL4J finds vertices by name, so each must be unique. */
final class VertexNames {
    private final Map<String, String> owners = new HashMap<>();

    /** @param owner who wants the name, for the message when it is taken ({@code "donor 2"}, {@code "bridge 'b1'"}) */
    void claim(String name, String owner) {
        if (name == null || name.isBlank()) throw new EngineException(owner + " needs a vertex name");
        String before = owners.putIfAbsent(name, owner);
        if (before != null) {
            throw new EngineException("the name '" + name + "' is used twice in the hybrid (" + before + " and " + owner
                    + "); rename one of them");
        }
    }
}
