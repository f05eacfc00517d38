package dev.graft.surgery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import java.util.List;

/**
 * What {@code adapt} will build, before anything is written: the adapted graph, what the cut kept
 * and removed, and each addition (bridges, head). Printed by {@code --dry-run}/{@code --json},
 * then executed by the writers.
 *
 * @param kept    the source's layers the adapted model keeps (flat names)
 * @param removed the source's layers the cut removed
 */
public record AdaptPlan(ModelGraph adapted, Donor source, List<String> kept, List<String> removed, List<Addition> additions,
                        ObjectNode provenance) {
    /**
     * Layers adapt adds at one place.
     *
     * @param role {@code input bridge}, {@code head} or {@code output bridge}
     * @param spec the chain as built ({@code none} when nothing was needed)
     */
    public record Addition(String role, String spec, boolean chosenByAuto, Shape from, Shape to, List<Layer> layers) {
        public long newParameters() {
            return layers.stream().mapToLong(Layer::parameterCount).sum();
        }
    }

    public long newParameters() {
        return additions.stream().mapToLong(Addition::newParameters).sum();
    }
}
