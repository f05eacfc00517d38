package dev.graft.cli;

import dev.graft.engine.train.EpochRecord;
import dev.graft.engine.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Training progress on stderr: when stderr is a terminal, one bar per epoch redrawn in place (batches, loss,
 * ETA) and kept as the epoch's summary line; elsewhere (logs, CI) one line per epoch.
 */
final class ProgressPrinter implements TrainingListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private int epoch;
    private int epochs;
    private int batches;
    private long epochStart;
    private long lastDraw;

    ProgressPrinter(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A terminal on stderr gets the redrawn bar; anything else (a pipe, a file) gets whole lines. */
    static boolean onTerminal() {
        return Terminal.stderrRedraws();
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.epochStart = System.nanoTime();
        this.lastDraw = 0;
    }

    @Override
    public void batchDone(int batch, double runningLoss) {
        if (!terminal) return;
        long now = System.nanoTime();
        if (batch < batches && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double eta = elapsed / batch * (batches - batch);
        int done = (int) Math.round((double) BAR * batch / batches);
        String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 ? (batch == batches ? "=" : ">") : "") + " ".repeat(BAR - done);
        err.print(String.format(Locale.ROOT, "\rEpoch %d/%d [%s] %d/%d - ETA %.0fs - loss %.4f ", epoch, epochs, bar, batch, batches, eta, runningLoss));
        err.flush();
    }

    @Override
    public void epochDone(EpochRecord r, boolean best) {
        StringBuilder sb = new StringBuilder();
        if (terminal) sb.append('\r');
        sb.append(String.format(Locale.ROOT, "Epoch %d/%d - %.1fs", r.epoch(), epochs, r.seconds()));
        append(sb, "", r.train());
        append(sb, "val_", r.validation());
        if (terminal) sb.append("\u001b[K"); // clear what the bar left on the line
        err.println(sb);
        err.flush();
    }

    private static void append(StringBuilder sb, String prefix, Map<String, Double> values) {
        values.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " - %s%s %.4f", prefix, k, v)));
    }
}
