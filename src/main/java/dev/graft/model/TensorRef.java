package dev.graft.model;

/**
 * One tensor of a functional graph, named as Keras names it: the layer, which call of that layer
 * ("node"; a shared layer is called several times) and which of that call's outputs.
 */
public record TensorRef(String layer, int node, int tensor) {
    public static TensorRef of(String layer) {
        return new TensorRef(layer, 0, 0);
    }

    @Override
    public String toString() {
        return node == 0 && tensor == 0 ? layer : layer + "[" + node + "][" + tensor + "]";
    }
}
