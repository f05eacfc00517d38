package dev.graft.surgery;

import dev.graft.model.DType;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code merge} was asked: the donors in chain order, the bridges (none, one for all
 * junctions, or one per junction), and the options.
 *
 * @param prefixes donor index (0-based) to the prefix for all of that donor's layer names
 * @param cast     the float type to compute in when donors differ, or null
 * @param command  the command line, for provenance
 */
public record MergeRequest(List<Donor> donors, List<BridgeSpec> bridges, Freeze freeze, TrainingSpec training,
                           Map<Integer, String> prefixes, DType cast, long seed, String command) {
}
