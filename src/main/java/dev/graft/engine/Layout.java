package dev.graft.engine;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.preprocessors.PermutePreprocessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a graph keeps the channel (feature) axis of a tensor of rank 3 or more, relative to Keras,
 * which always keeps it last: (batch, steps, features) = NWC, (batch, h, w, channels) = NHWC.
 * DL4J's own layers default to channels first (NCW, NCHW); Keras-imported layers are configured
 * channels last. Rank 1 and 2 tensors look the same either way.
 */
public enum Layout {
    /** As Keras holds it: NWC, NHWC, NDHWC. */
    CHANNELS_LAST,
    /** DL4J's default: NCW, NCHW, NCDHW. */
    CHANNELS_FIRST;

    /** True when a tensor of this rank is held differently from Keras. */
    public boolean differsFromKeras(int rank) {
        return this == CHANNELS_FIRST && rank >= 3;
    }

    /** A graph-side tensor in Keras layout (a row-major copy). */
    public INDArray toKeras(INDArray graphSide) {
        int rank = graphSide.rank();
        if (!differsFromKeras(rank)) return graphSide;
        return graphSide.permute(channelsLast(rank)).dup('c');
    }

    /** A Keras-layout tensor as the graph holds it (a row-major copy). */
    public INDArray fromKeras(INDArray keras) {
        int rank = keras.rank();
        if (!differsFromKeras(rank)) return keras;
        return keras.permute(channelsFirst(rank)).dup('c');
    }

    /** An in-graph step turning this layout into Keras's for a tensor of this rank; null when none is needed. */
    public InputPreProcessor toKerasPreprocessor(int rank) {
        if (!differsFromKeras(rank)) return null;
        List<InputPreProcessor> swaps = new ArrayList<>();
        for (int axis = 1; axis < rank - 1; axis++) swaps.add(swap(rank, axis));
        return compose(swaps);
    }

    /** An in-graph step turning a Keras-layout tensor of this rank into this layout; null when none is needed. */
    public InputPreProcessor fromKerasPreprocessor(int rank) {
        if (!differsFromKeras(rank)) return null;
        List<InputPreProcessor> swaps = new ArrayList<>();
        for (int axis = rank - 2; axis >= 1; axis--) swaps.add(swap(rank, axis));
        return compose(swaps);
    }

    /**
     * Moving the channel axis is built from swaps of neighbouring axes because DL4J's
     * PermutePreprocessor backpropagates with the forward permutation instead of its inverse
     * (M2.1): right only for permutations that are their own inverse. A swap is; a rotation such as
     * NCHW to NHWC is not, and would corrupt the gradients reaching the layers before it.
     */
    private static InputPreProcessor swap(int rank, int axis) {
        int[] p = identity(rank);
        p[axis] = axis + 1;
        p[axis + 1] = axis;
        return new PermutePreprocessor(p);
    }

    private static InputPreProcessor compose(List<InputPreProcessor> steps) {
        return steps.size() == 1 ? steps.get(0) : new ComposableInputPreProcessor(steps.toArray(new InputPreProcessor[0]));
    }

    /** (0, 2, ..., r-1, 1): channels-first axes reordered so the channel comes last. */
    static int[] channelsLast(int rank) {
        int[] p = new int[rank];
        for (int i = 1; i < rank - 1; i++) p[i] = i + 1;
        p[rank - 1] = 1;
        return p;
    }

    /** (0, r-1, 1, ..., r-2): the inverse of {@link #channelsLast}. */
    static int[] channelsFirst(int rank) {
        int[] p = new int[rank];
        p[1] = rank - 1;
        for (int i = 2; i < rank; i++) p[i] = i - 1;
        return p;
    }

    private static int[] identity(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        return p;
    }
}
