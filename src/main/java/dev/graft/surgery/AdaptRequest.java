package dev.graft.surgery;

import dev.graft.model.Shape;
import java.util.List;

/**
 * Everything {@code adapt} was asked.
 *
 * @param source     the model to adapt, with the cut to take from it
 * @param fromShape  a new input of this shape, bridged into the model's input ({@code --from-shape},
 *                   {@code --from-output-of}); null to keep the model's input
 * @param fromWhat   names where {@code fromShape} came from, for messages
 * @param toShape    the shape the model's output is bridged to ({@code --to-shape}, {@code --to-input-of}); null for none
 * @param toWhat     names where {@code toShape} came from, for messages
 * @param bridges    none (auto), one for every bridge, or one per bridge in order (input side first)
 * @param head       layers appended after the cut for a new task, or null
 * @param command    the command line, for provenance
 */
public record AdaptRequest(Donor source, Shape fromShape, String fromWhat, Shape toShape, String toWhat, List<BridgeSpec> bridges,
                           BridgeSpec head, AdaptFreeze freeze, TrainingSpec training, long seed, String command) {
    public AdaptRequest {
        bridges = List.copyOf(bridges);
    }
}
