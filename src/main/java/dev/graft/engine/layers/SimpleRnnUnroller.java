package dev.graft.engine.layers;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Writes Keras's SimpleRNN recurrence ({@code SimpleRNNCell.call}: {@code h' = σ(x·W + b + h·U)}, {@code h_0 = 0}) into a
 * SameDiff graph unrolled for a known number of steps, so that SameDiff's autodiff gives every gradient. Masked steps
 * keep the state as in {@link GruUnroller}; {@code go_backwards} reads from the last step and returns the outputs in
 * processing order, as Keras does.
 */
final class SimpleRnnUnroller {
    private final SimpleRnnSpec spec;
    private final boolean reverseOutput;

    /** @param reverseOutput return the sequence in the input's order, not processing order (a Bidirectional's backward half) */
    SimpleRnnUnroller(SimpleRnnSpec spec, boolean reverseOutput) {
        this.spec = spec;
        this.reverseOutput = reverseOutput;
    }

    /**
     * @param x      input, {@code [batch, steps, nIn]} (NWC)
     * @param keepSeq the mask as {@code [batch, steps, 1]} keep flags ({@link KeepFeature}), or null: from the mask value, if any
     * @param kernel {@code [nIn, units]}; recurrentKernel {@code [units, units]}; bias {@code [1, units]} or null
     * @return {@code [batch, steps, units]} when returning sequences, else {@code [batch, units]}
     */
    SDVariable build(SameDiff sd, SDVariable x, SDVariable keepSeq, int steps, long nIn, SDVariable kernel, SDVariable recurrentKernel,
                     SDVariable bias) {
        if (steps <= 0) throw new IllegalStateException("SimpleRNN needs a known number of steps, got " + steps);
        int u = spec.units();
        // The input side does not depend on the state: project all steps at once.
        SDVariable projected = sd.mmul(sd.reshape(x, -1, nIn), kernel);
        if (bias != null) projected = projected.add(bias);
        SDVariable[] xs = sd.unstack(sd.reshape(projected, -1, steps, u), 1, steps);
        SDVariable[] keep = keepSeq != null ? KeepFeature.perStep(sd, keepSeq, steps)
                : spec.maskValue() == null ? null : keep(sd, x, steps, spec.maskValue());
        // h_0 = 0 from a step slice (the batch size is only known at run time); every variable must feed the output.
        SDVariable h = sd.zerosLike(xs[0]);
        List<SDVariable> outputs = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int t = spec.goBackwards() ? steps - 1 - i : i;
            SDVariable next = spec.activation().apply(sd, xs[t].add(sd.mmul(h, recurrentKernel)));
            if (keep == null) {
                h = next;
                outputs.add(h);
                continue;
            }
            SDVariable carried = h.add(keep[t].mul(next.sub(h)));
            outputs.add(spec.zeroOutputForMask() ? keep[t].mul(next) : carried);
            h = carried;
        }
        if (reverseOutput) java.util.Collections.reverse(outputs);
        return spec.returnSequences() ? sd.stack(1, outputs.toArray(new SDVariable[0])) : h;
    }

    /** Per step, {@code [batch, 1]}: 1 where some feature differs from the mask value, 0 where all equal it (no gradient, as Keras's mask). */
    private static SDVariable[] keep(SameDiff sd, SDVariable x, int steps, double maskValue) {
        SDVariable any = sd.math().abs(x.sub(maskValue)).gt(0.0).castTo(x.dataType()).max(true, 2);
        return sd.unstack(sd.reshape(any, -1, steps, 1), 1, steps);
    }
}
