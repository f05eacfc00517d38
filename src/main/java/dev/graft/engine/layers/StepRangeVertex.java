package dev.graft.engine.layers;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * One of the outputs of a Keras ConvLSTM returning its state, taken from the array its engine layer packs them in
 * ({@link KerasConvLstmLayer} with {@code packState}: {@code [batch, S + 2, ...]}, the S output steps, then h, then c):
 * {@link Part#SEQUENCE} the steps {@code [0, S)} (Keras's output 0 when returning sequences), {@link Part#H} step S without
 * its step axis (output 1, and output 0 of a layer returning its last step), {@link Part#C} step S + 1 (output 2). No
 * parameters; the gradient goes back into the same slice of the packed array.
 */
public class StepRangeVertex extends KerasTensorOpVertex {
    /** Which part of the packed array. */
    public enum Part { SEQUENCE, H, C }

    private Part part = Part.H;

    /** For JSON deserialisation (DL4J configurations and zips). */
    public StepRangeVertex() {
    }

    public StepRangeVertex(Part part) {
        this.part = part;
    }

    @Override
    protected int inputCount() {
        return 1;
    }

    @Override
    protected SDVariable compute(SameDiff sd, SDVariable[] in, long[][] shapes) {
        long packed = shapes[0][1];
        int rank = shapes[0].length;
        SDIndex[] index = new SDIndex[rank];
        java.util.Arrays.fill(index, SDIndex.all());
        if (part == Part.SEQUENCE) {
            index[1] = SDIndex.interval(0L, packed - 2);
            return in[0].get(index);
        }
        index[1] = SDIndex.point(part == Part.H ? packed - 2 : packed - 1);
        return in[0].get(index);
    }

    @Override
    protected long[] outputShape(long[][] inputs) {
        long[] in = inputs[0];
        boolean open = in.length >= 3 && in[0] <= 0;   // an open number of steps: the parts' other axes are still known
        if (in.length < 3 || !open && (in[0] < 3 && part == Part.SEQUENCE || in[0] < 2)) {
            throw new IllegalArgumentException("a ConvLSTM's packed output and states need a step axis of at least 2, got per-sample shape "
                    + java.util.Arrays.toString(in));
        }
        if (part == Part.SEQUENCE) {
            long[] out = in.clone();
            out[0] = open ? in[0] : in[0] - 2;
            return out;
        }
        return java.util.Arrays.copyOfRange(in, 1, in.length);
    }

    @Override
    public StepRangeVertex clone() {
        return withSettingsOf(new StepRangeVertex(part));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepRangeVertex v && v.part == part;
    }

    @Override
    public int hashCode() {
        return part.hashCode();
    }

    public Part getPart() { return part; }
    public void setPart(Part part) { this.part = part; }
}
