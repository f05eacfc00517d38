package dev.graft.inspect;

import dev.graft.model.DType;
import dev.graft.model.Shape;

/**
 * A model input or output: the layer that holds it, its shape (null when unknown) and dtype.
 *
 * @param indexInput an input that feeds an Embedding, so takes integer indices whatever dtype it declares
 */
public record TensorInfo(String name, Shape shape, DType dtype, boolean indexInput) {
    public TensorInfo(String name, Shape shape, DType dtype) {
        this(name, shape, dtype, false);
    }
}
