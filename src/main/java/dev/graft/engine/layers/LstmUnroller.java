package dev.graft.engine.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes Keras's LSTM recurrence into a SameDiff graph, unrolled for a known number of steps, so that
 * SameDiff's autodiff gives every gradient (through time, and into the initial states).
 *
 * <p>Keras's equations ({@code LSTMCell.call}), gate blocks of the kernels in the order [i, f, c, o]:
 * <pre>
 *   i = σr(x·W_i + b_i + h·U_i)      f = σr(x·W_f + b_f + h·U_f)
 *   o = σr(x·W_o + b_o + h·U_o)      c' = f ∘ c + i ∘ σ(x·W_c + b_c + h·U_c)
 *   h' = o ∘ σ(c')                   (σ = activation, σr = recurrent_activation)
 * </pre>
 * with {@code h, c} starting from the given initial state, else zeros. At a masked step the state is
 * carried over unchanged ({@code h = h + m(h' − h)}, same for {@code c}) and the output follows
 * {@link LstmMaskedOutput}.
 *
 * <p>Each step's variables must reach the previous step's by one shortest path: SameDiff M2.1's
 * {@code AbstractSession.initSubgraph} walks the graph breadth-first without skipping variables already
 * queued, so a chain {@code s' = f(s, s)} whose two uses of {@code s} are equally far queues {@code 2^steps}
 * entries (a masked 85-step LSTM ran for over ten minutes before this was noticed).
 */
final class LstmUnroller {

    private static final int GATES = 4;

    private final LstmSpec spec;
    /** The mask comes as given keep flags ({@link KeepFeature}) rather than from the spec's mask value. */
    private final boolean maskGiven;

    LstmUnroller(LstmSpec spec) {
        this(spec, false);
    }

    LstmUnroller(LstmSpec spec, boolean maskGiven) {
        this(spec, maskGiven, false);
    }

    /** @param reverseOutput return the sequence in the input's order, not processing order (a Bidirectional's backward half) */
    LstmUnroller(LstmSpec spec, boolean maskGiven, boolean reverseOutput) {
        this.spec = spec;
        this.maskGiven = maskGiven;
        this.reverseOutput = reverseOutput;
    }

    private final boolean reverseOutput;

    /**
     * @param x               input, {@code [batch, steps, nIn]} (NWC)
     * @param h0              initial {@code h}, {@code [batch, units]}, or null for zeros
     * @param c0              initial {@code c}, {@code [batch, units]}, or null for zeros
     * @param mask            {@code [batch, steps]}, 1 where the step counts and 0 where it is masked;
     *                        read only when the spec has a mask value
     * @param kernel          {@code [nIn, 4·units]}
     * @param recurrentKernel {@code [units, 4·units]}
     * @param bias            {@code [1, 4·units]}, or null when the layer has no bias
     * @return with {@code returnState}: {@code [batch, S + 2, units]} holding the S output steps (all steps
     *         with {@code returnSequences}, else the last one), then the final {@code h}, then the final {@code c};
     *         otherwise the output alone: {@code [batch, steps, units]} or {@code [batch, units]}
     */
    SDVariable build(SameDiff sd, SDVariable x, SDVariable h0, SDVariable c0, SDVariable mask, int steps, long nIn,
                     SDVariable kernel, SDVariable recurrentKernel, SDVariable bias) {
        if (steps <= 0) {
            throw new IllegalStateException("LSTM needs a known number of steps, got " + steps);
        }
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException("an LSTM's initial state is h and c together");
        }
        int u = spec.units();
        boolean masked = spec.maskValue() != null || maskGiven;

        SDVariable[] w = gates(sd, kernel);
        SDVariable[] uk = gates(sd, recurrentKernel);
        SDVariable[] b = bias == null ? null : gates(sd, bias);

        // The input side of every gate does not depend on the state: project all steps at once.
        SDVariable flat = sd.reshape(x, -1, nIn);
        SDVariable[][] xg = new SDVariable[GATES][];
        for (int g = 0; g < GATES; g++) {
            SDVariable p = sd.mmul(flat, w[g]);
            xg[g] = perStep(sd, b == null ? p : p.add(b[g]), steps, u);
        }
        SDVariable[] m = masked ? sd.unstack(sd.reshape(mask, -1, steps, 1), 1, steps) : null;

        // Zeros shaped [batch, units] from a step slice, since the batch size is only known at run time.
        SDVariable h = h0 != null ? h0 : sd.zerosLike(xg[0][0]);
        SDVariable c = c0 != null ? c0 : sd.zerosLike(xg[0][0]);
        SDVariable seen = null;   // PREVIOUS: 1 once a step was unmasked
        List<SDVariable> outputs = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            // go_backwards reads the sequence from its end; outputs stay in processing order, as Keras does
            int t = spec.goBackwards() ? steps - 1 - i : i;
            SDVariable gi = spec.recurrentActivation().apply(sd, xg[0][t].add(sd.mmul(h, uk[0])));
            SDVariable gf = spec.recurrentActivation().apply(sd, xg[1][t].add(sd.mmul(h, uk[1])));
            SDVariable gc = spec.activation().apply(sd, xg[2][t].add(sd.mmul(h, uk[2])));
            SDVariable go = spec.recurrentActivation().apply(sd, xg[3][t].add(sd.mmul(h, uk[3])));
            SDVariable cNew = gf.mul(c).add(gi.mul(gc));
            SDVariable hNew = go.mul(spec.activation().apply(sd, cNew));
            if (masked) {
                SDVariable mt = m[t];
                // the last step's carried c is only ever read as a returned state: left unread in the graph, it would be a
                // dangling variable, which DL4J's backward pass takes for a second loss (the "-grad" placeholder goes missing)
                if (i < steps - 1 || spec.returnState()) c = c.add(mt.mul(cNew.sub(c)));
                h = h.add(mt.mul(hNew.sub(h)));
                if (spec.maskedOutput() == LstmMaskedOutput.PREVIOUS) {
                    // seen + m(1 − seen): one shortest path back to the previous step, see below
                    seen = seen == null ? mt : seen.add(mt.mul(seen.rsub(1.0)));
                }
            } else {
                c = cNew;
                h = hNew;
            }
            // Only the outputs that are returned are added to the graph: DL4J's backprop relies on every
            // variable feeding the result.
            if (spec.returnSequences() || i == steps - 1) {
                outputs.add(output(h, masked ? m[t] : null, seen));
            }
        }
        if (reverseOutput && spec.returnSequences()) java.util.Collections.reverse(outputs);
        if (!spec.returnState()) {
            return spec.returnSequences() ? sd.stack(1, outputs.toArray(new SDVariable[0])) : outputs.get(0);
        }
        outputs.add(h);
        outputs.add(c);
        return sd.stack(1, outputs.toArray(new SDVariable[0]));
    }

    /** The step's output: its (carried) h, except where Keras gives zeros for masked steps. */
    private SDVariable output(SDVariable h, SDVariable mt, SDVariable seen) {
        if (mt == null) {
            return h;
        }
        switch (spec.maskedOutput()) {
            case STATE:
                return h;
            case PREVIOUS:
                return h.mul(seen);
            case ZERO:
                return h.mul(mt);
            default:
                throw new IllegalStateException("unhandled " + spec.maskedOutput());
        }
    }

    /**
     * Splits the last axis into the four gate blocks [i, f, c, o] by multiplying with constant 0/1
     * selection matrices: ND4J M2.1's strided_slice backward op fails ("lengths of arrays are
     * mismatched"), matrix products differentiate reliably. Runs once per graph, not per step.
     */
    private SDVariable[] gates(SameDiff sd, SDVariable v) {
        int u = spec.units();
        SDVariable[] out = new SDVariable[GATES];
        for (int g = 0; g < GATES; g++) {
            INDArray select = Nd4j.zeros(v.dataType(), (long) GATES * u, u);
            for (int j = 0; j < u; j++) {
                select.putScalar(g * u + j, j, 1.0);
            }
            out[g] = sd.mmul(v, sd.constant(select));
        }
        return out;
    }

    /** {@code [batch·steps, units]} back to one {@code [batch, units]} variable per step. */
    private static SDVariable[] perStep(SameDiff sd, SDVariable projected, int steps, int units) {
        return sd.unstack(sd.reshape(projected, -1, steps, units), 1, steps);
    }
}
