package dev.graft.engine.train;

/** Told of training progress, to show it (a bar on a terminal, a line per epoch otherwise, nothing with --quiet). */
public interface TrainingListener {
    void epochStarted(int epoch, int epochs, int batches);

    void batchDone(int batch, double runningLoss);

    void epochDone(EpochRecord record, boolean best);

    TrainingListener SILENT = new TrainingListener() {
        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
        }

        @Override
        public void batchDone(int batch, double runningLoss) {
        }

        @Override
        public void epochDone(EpochRecord record, boolean best) {
        }
    };
}
