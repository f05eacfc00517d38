package dev.graft.inspect;

import dev.graft.model.DType;
import dev.graft.model.Shape;

/** A model input or output: the layer that holds it, its shape (null when unknown) and dtype. */
public record TensorInfo(String name, Shape shape, DType dtype) {
}
