package dev.graft.engine.layers;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

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
        if (steps <= 0) {
            throw new IllegalStateException("GRU needs a known number of steps, got " + steps);
        }
        int u = spec.units();

        SDVariable[] w = gates(kernel, 2);
        SDVariable[] uk = gates(recurrentKernel, 2);
        SDVariable[] inBias = null;
        SDVariable[] recBias = null;
        if (bias != null) {
            // SDIndex.point drops the axis, like numpy: each bias row becomes a [3·units] vector
            inBias = gates(bias.get(SDIndex.point(0), SDIndex.all()), 1);
            if (spec.resetAfter()) {
                recBias = gates(bias.get(SDIndex.point(1), SDIndex.all()), 1);
            }
        }

        // The input side of every gate does not depend on the state: project all steps at once.
        SDVariable flat = sd.reshape(x, -1, nIn);
        SDVariable[] xz = perStep(sd, project(sd, flat, w[0], sum(inBias, recBias, 0)), steps, u);
        SDVariable[] xr = perStep(sd, project(sd, flat, w[1], sum(inBias, recBias, 1)), steps, u);
        SDVariable[] xh = perStep(sd, project(sd, flat, w[2], inBias == null ? null : inBias[2]), steps, u);
        SDVariable recBiasH = recBias == null ? null : recBias[2];

        List<SDVariable> outputs = new ArrayList<>(steps);
        SDVariable h = null; // null stands for h_0 = 0, so the first step needs no batch-sized zeros
        for (int i = 0; i < steps; i++) {
            // go_backwards reads the sequence from its end; outputs stay in processing order, as Keras does
            int t = spec.goBackwards() ? steps - 1 - i : i;
            h = step(sd, h, xz[t], xr[t], xh[t], uk, recBiasH);
            outputs.add(h);
        }
        if (!spec.returnSequences()) {
            return h;
        }
        return sd.stack(1, outputs.toArray(new SDVariable[0]));
    }

    private SDVariable step(SameDiff sd, SDVariable h, SDVariable xz, SDVariable xr, SDVariable xh,
                            SDVariable[] uk, SDVariable recBiasH) {
        SDVariable zIn = h == null ? xz : xz.add(sd.mmul(h, uk[0]));
        SDVariable rIn = h == null ? xr : xr.add(sd.mmul(h, uk[1]));
        SDVariable z = spec.recurrentActivation().apply(sd, zIn);
        SDVariable r = spec.recurrentActivation().apply(sd, rIn);

        SDVariable recurrentH;
        if (spec.resetAfter()) {
            SDVariable inner = h == null ? recBiasH : (recBiasH == null ? sd.mmul(h, uk[2]) : sd.mmul(h, uk[2]).add(recBiasH));
            recurrentH = inner == null ? null : r.mul(inner);
        } else {
            recurrentH = h == null ? null : sd.mmul(r.mul(h), uk[2]);
        }
        SDVariable hh = spec.activation().apply(sd, recurrentH == null ? xh : xh.add(recurrentH));

        // z∘h + (1−z)∘hh, written as hh + z∘(h − hh); with h = 0 it is (1 − z)∘hh
        return h == null ? hh.sub(z.mul(hh)) : hh.add(z.mul(h.sub(hh)));
    }

    /** Splits the last axis into the three gate blocks [z, r, h]. */
    private SDVariable[] gates(SDVariable v, int rank) {
        int u = spec.units();
        SDVariable[] out = new SDVariable[3];
        for (int g = 0; g < 3; g++) {
            SDIndex block = SDIndex.interval(g * u, (g + 1) * u);
            out[g] = rank == 1 ? v.get(block) : v.get(SDIndex.all(), block);
        }
        return out;
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
