package dev.graft.engine.layers;

import java.util.List;

/**
 * One layer of a network trained whole on the heap ({@code HeapChainTrainer}), without the engine: its training forward
 * pass and its backward pass on float arrays in Keras's layout, one sample after another, each sample row-major (a
 * channels-last image (height, width, channels), a sequence (steps, features), a vector).
 *
 * <p>Why: at the batch sizes people train with, the engine's bookkeeping between layers (copies between its native
 * arrays and the heap, layout permutations, shape descriptors, workspaces) costs as much as the arithmetic. A chain of
 * stages passes heap arrays from one to the next and copies nothing.
 *
 * <p>A stage computes what the engine's layer computes, to float rounding: tests compare each stage's output, input
 * gradient and parameter gradients with the engine's layer on the same values. {@link HeapStages#of} returns null for
 * anything a stage does not compute exactly, and the whole network then keeps the engine's step.
 */
public interface HeapStage {
    /** The shape of one sample at the stage's output: Keras's layout, without the batch axis. */
    int[] outputShape();

    /**
     * The training forward pass of a batch of {@code rows} samples: {@code input} holds rows × (the input shape's product)
     * values and is left as it is (the stage before may keep it for its own backward pass); returns rows × (the output
     * shape's product) values. The stage keeps what its backward pass needs; the array returned may be a buffer the stage
     * reuses at its next forward pass.
     */
    float[] forward(float[] input, int rows);

    /**
     * The backward pass of the last forward pass: from the gradient of the loss at the stage's output (an array the stage
     * may overwrite), sets each parameter's {@link HeapParameter#gradient()} (summed over the batch's samples, not
     * averaged: the trainer divides, as the engine's updater does) and returns the gradient at the stage's input, or null
     * when {@code inputGradient} is false (nothing reads it: the stages before learn nothing).
     */
    float[] backward(float[] outputGradient, int rows, boolean inputGradient);

    /**
     * The inference forward pass (Keras's {@code training=False}), for the metrics and losses reported between epochs:
     * by default the training pass, which is the same for every stage whose training pass draws nothing and keeps no
     * batch statistics. A stage whose training pass differs (dropout) overrides it.
     */
    default float[] infer(float[] input, int rows) {
        return forward(input, rows);
    }

    /** The parameters the optimizer updates, each with its own optimizer; empty for a stage without any or a frozen one. */
    List<HeapParameter> parameters();

    /** Writes the parameters' values back into the engine's arrays (the network's, which everything else reads). */
    void copyToEngine();
}
