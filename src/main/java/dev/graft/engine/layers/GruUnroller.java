package dev.graft.engine.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes Keras's GRU recurrence into a SameDiff graph, one step after the other for a known number
 * of steps, so that SameDiff's autodiff can give every gradient (backpropagation through time comes
 * for free from the unrolled graph).
 *
 * <p>Keras's equations ({@code keras/src/layers/rnn/gru.py}, {@code GRUCell.call}), gate blocks of
 * the kernels in the order [z, r, h]:
 * <pre>
 *   z  = σr(x·W_z + b_z + h·U_z [+ b'_z])
 *   r  = σr(x·W_r + b_r + h·U_r [+ b'_r])
 *   reset_after:  hh = σ(x·W_h + b_h + r ∘ (h·U_h + b'_h))      (b' = recurrent bias, row 1)
 *   reset_before: hh = σ(x·W_h + b_h + (r ∘ h)·U_h)
 *   h' = z ∘ h + (1 − z) ∘ hh,  h_0 = 0
 * </pre>
 */
final class GruUnroller {

    private final GruSpec spec;

    GruUnroller(GruSpec spec) {
        this.spec = spec;
    }

    /**
     * @param x               input, {@code [batch, steps, nIn]} (NWC)
     * @param steps           the number of steps, known when the graph is built
     * @param nIn             the number of input features
     * @param kernel          {@code [nIn, 3·units]}
     * @param recurrentKernel {@code [units, 3·units]}
     * @param bias            {@code [2, 3·units]} (reset_after), {@code [1, 3·units]} (reset_before),
     *                        or null when the layer has no bias
     * @return {@code [batch, steps, units]} when returning sequences, else {@code [batch, units]}
     */
    SDVariable build(SameDiff sd, SDVariable x, int steps, long nIn,
                     SDVariable kernel, SDVariable recurrentKernel, SDVariable bias) {
        return build(sd, x, null, steps, nIn, kernel, recurrentKernel, bias);
    }

    /** @param keepSeq the mask as {@code [batch, steps, 1]} keep flags ({@link KeepFeature}), or null: from the mask value, if any */
    SDVariable build(SameDiff sd, SDVariable x, SDVariable keepSeq, int steps, long nIn,
                     SDVariable kernel, SDVariable recurrentKernel, SDVariable bias) {
        if (steps <= 0) {
            throw new IllegalStateException("GRU needs a known number of steps, got " + steps);
        }
        int u = spec.units();

        SDVariable[] w = gates(sd, kernel);
        SDVariable[] uk = gates(sd, recurrentKernel);
        SDVariable[] inBias = null;
        SDVariable[] recBias = null;
        if (bias != null) {
            inBias = rowGates(sd, bias, 0);
            if (spec.resetAfter()) {
                recBias = rowGates(sd, bias, 1);
            }
        }

        // The input side of every gate does not depend on the state: project all steps at once.
        SDVariable flat = sd.reshape(x, -1, nIn);
        SDVariable[] xz = perStep(sd, project(sd, flat, w[0], sum(inBias, recBias, 0)), steps, u);
        SDVariable[] xr = perStep(sd, project(sd, flat, w[1], sum(inBias, recBias, 1)), steps, u);
        SDVariable[] xh = perStep(sd, project(sd, flat, w[2], inBias == null ? null : inBias[2]), steps, u);
        SDVariable recBiasH = recBias == null ? null : recBias[2];

        List<SDVariable> outputs = new ArrayList<>(steps);
        // h_0 = 0, shaped [batch, units] from a step slice since the batch size is only known at run time.
        // Every variable of the graph must feed the output: DL4J's backprop relies on SameDiff finding no
        // other unconsumed variable when it looks for the loss, so step 0 is not special-cased.
        SDVariable h = sd.zerosLike(xz[0]);
        // Keras's mask: a step whose features all equal the mask value keeps the state (and outputs it, or zeros).
        SDVariable[] keep = keepSeq != null ? KeepFeature.perStep(sd, keepSeq, steps)
                : spec.maskValue() == null ? null : keep(sd, x, steps, nIn, spec.maskValue());
        for (int i = 0; i < steps; i++) {
            // go_backwards reads the sequence from its end; outputs stay in processing order, as Keras does
            int t = spec.goBackwards() ? steps - 1 - i : i;
            SDVariable next = step(sd, h, xz[t], xr[t], xh[t], uk, recBiasH);
            if (keep == null) {
                h = next;
                outputs.add(h);
                continue;
            }
            // keep ∘ next + (1 − keep) ∘ h, written as h + keep ∘ (next − h)
            SDVariable carried = h.add(keep[t].mul(next.sub(h)));
            outputs.add(spec.zeroOutputForMask() ? keep[t].mul(next) : carried);
            h = carried;
        }
        if (!spec.returnSequences()) {
            return h;
        }
        return sd.stack(1, outputs.toArray(new SDVariable[0]));
    }

    /**
     * Per step, {@code [batch, 1]}: 1 where some feature differs from the mask value, 0 where all equal it. A
     * constant of the input (it has no gradient: Keras's mask does not either).
     */
    private static SDVariable[] keep(SameDiff sd, SDVariable x, int steps, long nIn, double maskValue) {
        SDVariable differs = sd.math().abs(x.sub(maskValue)).gt(0.0).castTo(x.dataType());
        SDVariable any = differs.max(true, 2);               // [batch, steps, 1]
        return sd.unstack(sd.reshape(any, -1, steps, 1), 1, steps);
    }

    private SDVariable step(SameDiff sd, SDVariable h, SDVariable xz, SDVariable xr, SDVariable xh,
                            SDVariable[] uk, SDVariable recBiasH) {
        SDVariable z = spec.recurrentActivation().apply(sd, xz.add(sd.mmul(h, uk[0])));
        SDVariable r = spec.recurrentActivation().apply(sd, xr.add(sd.mmul(h, uk[1])));
        SDVariable recurrentH;
        if (spec.resetAfter()) {
            SDVariable inner = sd.mmul(h, uk[2]);
            recurrentH = r.mul(recBiasH == null ? inner : inner.add(recBiasH));
        } else {
            recurrentH = sd.mmul(r.mul(h), uk[2]);
        }
        SDVariable hh = spec.activation().apply(sd, xh.add(recurrentH));
        // z∘h + (1−z)∘hh, written as hh + z∘(h − hh)
        return hh.add(z.mul(h.sub(hh)));
    }

    /**
     * Splits the last axis into the three gate blocks [z, r, h] by multiplying with constant 0/1
     * selection matrices. Slicing would be the obvious way, but ND4J M2.1's strided_slice backward op
     * fails ("lengths of arrays are mismatched") and matrix products differentiate reliably; this runs
     * once per graph, not per step.
     */
    private SDVariable[] gates(SameDiff sd, SDVariable v) {
        int u = spec.units();
        SDVariable[] out = new SDVariable[3];
        for (int g = 0; g < 3; g++) {
            INDArray select = Nd4j.zeros(v.dataType(), 3L * u, u);
            for (int j = 0; j < u; j++) {
                select.putScalar(g * u + j, j, 1.0);
            }
            out[g] = sd.mmul(v, sd.constant(select));
        }
        return out;
    }

    /** The gate blocks of one row of the bias, each {@code [1, units]}, selected the same way. */
    private SDVariable[] rowGates(SameDiff sd, SDVariable bias, int row) {
        INDArray pick = Nd4j.zeros(bias.dataType(), 1, spec.biasRows());
        pick.putScalar(0, row, 1.0);
        return gates(sd, sd.mmul(sd.constant(pick), bias));
    }

    private static SDVariable sum(SDVariable[] a, SDVariable[] b, int gate) {
        if (a == null) {
            return null;
        }
        return b == null ? a[gate] : a[gate].add(b[gate]);
    }

    private static SDVariable project(SameDiff sd, SDVariable flat, SDVariable weights, SDVariable bias) {
        SDVariable p = sd.mmul(flat, weights);
        return bias == null ? p : p.add(bias);
    }

    /** {@code [batch·steps, units]} back to one {@code [batch, units]} variable per step. */
    private static SDVariable[] perStep(SameDiff sd, SDVariable projected, int steps, int units) {
        return sd.unstack(sd.reshape(projected, -1, steps, units), 1, steps);
    }
}
