package dev.graft.engine.layers;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * What {@link HeapStages#of} builds a stage from: one vertex of the network being trained.
 *
 * @param name       the vertex's name
 * @param vertex     its configuration
 * @param layer      the layer's configuration with any freezing wrapper taken off (FrozenLayer, FrozenLayerWithBackprop);
 *                   null for a vertex that is not a layer
 * @param runtime    the layer's runtime (its {@code paramTable(false)} are views of the network's parameters, which
 *                   {@link HeapStage#copyToEngine} writes into), the freezing wrapper taken off; null for a vertex that is not a layer
 * @param learns     whether the optimizer updates the layer's parameters (false: a frozen layer, whose stage has no {@link HeapStage#parameters()})
 * @param inputShape the shape of one sample at the vertex's input, Keras's layout, without the batch axis
 * @param random     the training run's random numbers (dropout), seeded from its seed
 */
public record HeapStageSource(String name, GraphVertex vertex, Layer layer, org.deeplearning4j.nn.api.Layer runtime, boolean learns,
                              int[] inputShape, SplittableRandom random) {
}
