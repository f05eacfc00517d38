package dev.graft.cli;

import dev.graft.data.TrainingData;
import dev.graft.engine.train.CurvePlot;
import dev.graft.engine.train.HistoryFile;
import dev.graft.engine.train.TrainJob;
import dev.graft.engine.train.TrainOptions;
import dev.graft.engine.train.TrainedModelWriter;
import dev.graft.engine.train.TrainingListener;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.OutputTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft train MODEL -o OUT}: train a model (typically a hybrid's bridge) on CSV or NPY data. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on CSV or NPY data and write it as .h5 (models from Keras) or .zip.",
            "By default only the layers the file marks trainable learn: a hybrid merged with --freeze donors trains its bridge."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:trained and written",
            "1:a model or data problem (labels that do not fit the loss, shapes, unreadable files)",
            "2:usage error"})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The trained model: .h5 or .zip.")
    Path output;

    @Option(names = "--data", paramLabel = "FILE.csv", description = "Training table; --target names the label columns.")
    Path data;

    @Option(names = "--target", paramLabel = "COLS", description = "Label columns of --data: names or 0-based indexes, a,b or 2:5 or -1.")
    String target;

    @Option(names = "--x", paramLabel = "X.npy", description = "Inputs in Keras layout (batch first), e.g. (batch, steps, features).")
    Path x;

    @Option(names = "--y", paramLabel = "Y.npy", description = "Labels for --x.")
    Path y;

    @Option(names = "--validation", paramLabel = "FILE", description = "Validation data: a CSV (same --target), an .npz with x and y, or X.npy,Y.npy.")
    String validation;

    @Option(names = "--validation-split", paramLabel = "F", description = "Hold out the last fraction F of the rows for validation, as Keras does.")
    Double validationSplit;

    @Option(names = "--shuffle-split", description = "Choose the --validation-split rows at random (seeded) instead of the last ones.")
    boolean shuffleSplit;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", description = "adam, sgd, rmsprop, adagrad, adadelta, adamax, nadam (default: the model's, else adam).")
    String optimizer;

    @Option(names = "--learning-rate", description = "Learning rate (default: the model's, else the optimizer's Keras default).")
    Double learningRate;

    @Option(names = "--loss", description = "Loss, e.g. binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, mse (default: the model's).")
    String loss;

    @Option(names = "--metrics", split = ",", description = "Metrics: accuracy, mae, mse, ... (default: the model's).")
    List<String> metrics;

    @Option(names = "--trainable", paramLabel = "all|bridges|LAYER,...", description = "What learns (default: what the file marks trainable).")
    String trainable;

    @Option(names = "--seed", defaultValue = "42", description = "Seed: the same seed and data give bit-identical weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", description = "Stop after PATIENCE epochs without a better validation loss; keep the best weights.")
    Integer patience;

    @Option(names = "--history", paramLabel = "FILE.csv", description = "Write per-epoch metrics.")
    Path history;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the training and validation curves.")
    Path plot;

    @Option(names = "--format", paramLabel = "h5|zip", description = "Output format (default: from the extension).")
    String format;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--json", description = "Print the final metrics as one JSON document on stdout.")
    boolean json;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        if (epochs < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--epochs must be at least 1");
        if (batchSize < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 1");
        List<Path> inputs = new ArrayList<>(List.of(model));
        for (Path p : new Path[] {data, x, y}) if (p != null) inputs.add(p);
        if (validation != null) for (String v : validation.split(",")) inputs.add(Path.of(v));
        OutputTarget target = OutputTarget.of(output, format, force, inputs);
        // Reports are written after training: make sure now that they can be, and lose no input.
        java.util.Map<String, Path> reports = new java.util.LinkedHashMap<>();
        reports.put("--history", history);
        reports.put("--plot", plot);
        dev.graft.format.OutputGuard.check(reports, inputs, output);
        String room = dev.graft.format.WriteRoom.problem(output, sizeOf(model));
        if (room != null) throw new dev.graft.GraftException(output + ": cannot be written: " + room);
        TrainingData trainingData = loadData();
        ModelGraph m = ModelFiles.read(model);
        TrainedModelWriter.checkTarget(m, target);
        PrintWriter err = spec.commandLine().getErr();
        TrainingListener listener = quiet ? TrainingListener.SILENT : new ProgressPrinter(err, ProgressPrinter.onTerminal());
        TrainJob.Outcome outcome = TrainJob.run(m, trainingData,
                new TrainOptions(epochs, batchSize, optimizer, learningRate, loss, metrics, seed, patience, trainable), listener);
        String command = CommandLines.render("graft", spec.root().commandLine().getParseResult().originalArgs());
        TrainedModelWriter.write(m, outcome, target, command);
        if (history != null) HistoryFile.write(history, outcome.result().history());
        if (plot != null) CurvePlot.write(plot, outcome.result().history());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            spec.commandLine().getOut().print(TrainReport.json(outcome, target, seconds));
            spec.commandLine().getOut().flush();
        } else if (!quiet) {
            err.print(TrainReport.text(outcome, target));
            err.flush();
        }
        return ExitCodes.OK;
    }

    private static long sizeOf(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private TrainingData loadData() {
        TrainingData d;
        if (data != null) {
            if (x != null || y != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either --data with --target, or --x with --y");
            if (target == null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data needs --target COLS (the label columns)");
            d = TrainingData.fromCsv(data, target);
        } else if (x != null && y != null) {
            d = TrainingData.fromArrays(x, y);
        } else {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "training data is missing: give --data FILE.csv --target COLS, or --x X.npy --y Y.npy");
        }
        if (validation != null && validationSplit != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --validation or --validation-split, not both");
        }
        if (validation != null) d = d.withValidation(validation, target);
        if (validationSplit != null) d = d.withValidationSplit(validationSplit, shuffleSplit, seed);
        return d;
    }
}
