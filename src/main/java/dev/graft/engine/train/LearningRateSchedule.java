package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.Locale;

/**
 * {@code --lr-schedule}: the learning rate of each epoch, set before the epoch starts as Keras's
 * {@code LearningRateScheduler} callback does, from the optimizer's rate {@code lr0}:
 * <ul>
 * <li>{@code step:N:F}: {@code lr0 · F^floor((epoch-1)/N)} (multiplied by F every N epochs);</li>
 * <li>{@code exponential:F}: {@code lr0 · F^(epoch-1)};</li>
 * <li>{@code cosine}: {@code lr0 · ½(1 + cos(π·(epoch-1)/epochs))} (from lr0 towards 0 over the run);</li>
 * <li>{@code plateau:P:F}: Keras's {@code ReduceLROnPlateau(patience=P, factor=F, min_delta=1e-4)}: after P epochs
 * whose monitored loss (validation if given, else training) is not below the best by more than 1e-4, the rate is
 * multiplied by F and the wait starts again.</li>
 * </ul>
 */
public final class LearningRateSchedule {
    private static final double MIN_DELTA = 1e-4;

    private enum Kind { STEP, EXPONENTIAL, COSINE, PLATEAU }

    private final Kind kind;
    private final int every;
    private final double factor;
    private final String spec;
    private double plateauRate = Double.NaN;
    private double best = Double.POSITIVE_INFINITY;
    private int wait;

    private LearningRateSchedule(Kind kind, int every, double factor, String spec) {
        this.kind = kind;
        this.every = every;
        this.factor = factor;
        this.spec = spec;
    }

    /** Parses {@code step:N:F}, {@code exponential:F}, {@code cosine} or {@code plateau:P:F}; a one-line refusal otherwise. */
    public static LearningRateSchedule parse(String spec) {
        String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":");
        String usage = "--lr-schedule '" + spec + "': use step:N:F, exponential:F, cosine or plateau:P:F (N, P whole numbers from 1, F above 0)";
        try {
            switch (p[0]) {
                case "step": if (p.length == 3) return new LearningRateSchedule(Kind.STEP, count(p[1], usage), factor(p[2], usage), spec); break;
                case "exponential": if (p.length == 2) return new LearningRateSchedule(Kind.EXPONENTIAL, 1, factor(p[1], usage), spec); break;
                case "cosine": if (p.length == 1) return new LearningRateSchedule(Kind.COSINE, 1, 1, spec); break;
                case "plateau": if (p.length == 3) return new LearningRateSchedule(Kind.PLATEAU, count(p[1], usage), factor(p[2], usage), spec); break;
                default: break;
            }
        } catch (NumberFormatException e) {
            throw new GraftException(usage);
        }
        throw new GraftException(usage);
    }

    private static int count(String s, String usage) {
        int n = Integer.parseInt(s);
        if (n < 1) throw new GraftException(usage);
        return n;
    }

    private static double factor(String s, String usage) {
        double f = Double.parseDouble(s);
        if (!(f > 0) || Double.isInfinite(f)) throw new GraftException(usage);
        return f;
    }

    /** The rate for {@code epoch} (1-based) of {@code epochs}. */
    public double rate(int epoch, int epochs, double lr0) {
        switch (kind) {
            case STEP: return lr0 * Math.pow(factor, (epoch - 1) / every);
            case EXPONENTIAL: return lr0 * Math.pow(factor, epoch - 1);
            case COSINE: return lr0 * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
            default: return Double.isNaN(plateauRate) ? lr0 : plateauRate;
        }
    }

    /** Told each epoch's monitored loss (only a plateau schedule listens); {@code rate} is the epoch's rate. */
    public void epochEnded(double monitored, double rate) {
        if (kind != Kind.PLATEAU) return;
        if (monitored < best - MIN_DELTA) {
            best = monitored;
            wait = 0;
            return;
        }
        if (++wait >= every) {
            plateauRate = rate * factor;
            wait = 0;
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
