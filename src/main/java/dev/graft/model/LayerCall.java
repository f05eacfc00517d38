package dev.graft.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One call of a layer in a functional graph (Keras's "inbound node"): the tensors it consumes and
 * the keyword arguments of the call ({@code mask}, {@code training}, ...), kept as the file had them.
 */
public record LayerCall(List<TensorRef> inputs, ObjectNode kwargs) {
    public LayerCall {
        inputs = List.copyOf(inputs);
    }
}
