package dev.graft.surgery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.ModelGraph;
import java.util.List;
import java.util.Map;

/**
 * What a merge will build, before anything is written: the hybrid graph, the junctions and the
 * renames, ready to print ({@code --dry-run}) or to execute.
 *
 * @param renames per donor, original layer name to name in the hybrid (only changed names)
 * @param layersByDonor per donor, the hybrid names of the layers taken from it
 */
public record MergePlan(ModelGraph hybrid, List<Donor> donors, List<Junction> junctions, List<Map<String, String>> renames,
                        List<List<String>> layersByDonor, ObjectNode provenance) {
    /** Whether the donor at this index keeps its weights in training. */
    public boolean frozen(int donor) {
        return provenance.path("donors").get(donor).path("frozen").asBoolean(false);
    }
}
