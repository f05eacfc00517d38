package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.data.TrainingData;
import dev.graft.format.Checksums;
import dev.graft.format.Json;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft train MODEL -o OUT}: train a model (typically a hybrid's bridge) on CSV or NPY data. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Train a model on CSV or NPY data and write it as .h5 or .keras (models from Keras) or .zip.",
            "By default only the layers the file marks trainable learn: a hybrid merged with --freeze donors trains its bridge."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:trained and written",
            "1:a model or data problem (labels that do not fit the loss, shapes, unreadable files)",
            "2:usage error"})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The trained model: .h5, .keras or .zip.")
    Path output;

    @Option(names = "--data", paramLabel = "FILE.csv", description = "Training table; --target names the label columns.")
    Path data;

    @Option(names = "--target", paramLabel = "COLS", description = "Label columns of --data: names or 0-based indexes, a,b or 2:5 or -1.")
    String target;

    @Option(names = "--x", paramLabel = "[INPUT=]X.npy", description = {"Inputs in Keras layout (batch first), e.g. (batch, steps, features);"
            + " once per model input, in the model's input order, or INPUT=FILE."})
    List<String> x = new ArrayList<>();

    @Option(names = "--y", paramLabel = "[OUTPUT=]Y.npy", description = "Labels for --x; once per model output, in the model's output order, or OUTPUT=FILE.")
    List<String> y = new ArrayList<>();

    @Option(names = "--validation", paramLabel = "FILE", description = "Validation data: a CSV (same --target), an .npz with x and y, or X.npy,Y.npy.")
    String validation;

    @Option(names = "--validation-x", paramLabel = "[INPUT=]X.npy", description = "Validation inputs, as --x takes them (with --validation-y).")
    List<String> validationX = new ArrayList<>();

    @Option(names = "--validation-y", paramLabel = "[OUTPUT=]Y.npy", description = "Validation labels, as --y takes them (with --validation-x).")
    List<String> validationY = new ArrayList<>();

    @Option(names = "--loss-weights", paramLabel = "[OUTPUT=]W,...", description = {"Each output's weight in the total loss, as Keras's loss_weights:"
            + " W,W in output order or OUTPUT=W,...; above 0 (default: the model's stored ones, else 1)."})
    String lossWeights;

    @Option(names = "--validation-split", paramLabel = "F", converter = OptionValues.Fraction.class,
            description = "Hold out the last fraction F (between 0 and 1) of the rows for validation, as Keras does.")
    Double validationSplit;

    @Option(names = "--shuffle-split", description = "Choose the --validation-split rows at random (seeded) instead of the last ones.")
    boolean shuffleSplit;

    @Option(names = "--epochs", defaultValue = "10", converter = OptionValues.PositiveInt.class, description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", converter = OptionValues.PositiveInt.class, description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    CompileOptions compile;

    @Option(names = "--optimizer-arg", paramLabel = "KEY=VALUE", mapFallbackValue = "none",
            description = {"An optimizer argument by its Keras name, repeatable: beta_1=0.8, momentum=0.9, nesterov=true, rho, epsilon,"
                + " centered, amsgrad, initial_accumulator_value, weight_decay, clipnorm, clipvalue, global_clipnorm;"
                + " KEY=none is Keras's None. Default: the model's stored value, else Keras's default."})
    java.util.Map<String, String> optimizerArgs;

    @Option(names = "--loss-arg", paramLabel = "KEY=VALUE", description = {"A loss argument by its Keras name, repeatable:"
            + " label_smoothing (binary/categorical cross-entropy), from_logits (the cross-entropies), delta (huber)."
            + " Default: the model's stored value, else Keras's default."})
    java.util.Map<String, String> lossArgs;

    @Option(names = "--trainable", paramLabel = "all|bridges|LAYER,...", description = "What learns (default: what the file marks trainable).")
    String trainable;

    @Option(names = "--seed", defaultValue = "42", description = "Seed: the same seed and data give bit-identical weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", converter = OptionValues.PositiveInt.class, description = "Stop after PATIENCE epochs without a better validation loss; keep the best weights.")
    Integer patience;

    @Option(names = "--class-weight", paramLabel = "balanced|CLASS=W,...", converter = OptionValues.ClassWeight.class,
            description = "Weigh each training sample's loss by its class, as Keras's class_weight: e.g. 0=1,1=5, or balanced (samples / (classes x samples of the class)).")
    String classWeight;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", converter = OptionValues.LrSchedule.class,
            description = "Learning rate per epoch from the optimizer's: step:N:F (times F every N epochs), exponential:F (times F each epoch),"
                    + " cosine (to 0 over the run), plateau:P:F (times F after P epochs without a lower validation loss).")
    String lrSchedule;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Also write the best epoch's model (lowest validation loss, else training loss); same formats as -o.")
    Path checkpoint;

    @Option(names = "--history", paramLabel = "FILE.csv", description = "Write per-epoch metrics.")
    Path history;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the training and validation curves.")
    Path plot;

    @Option(names = "--format", paramLabel = "h5|keras|zip", description = "Output format (default: from the extension).")
    String format;

    @Mixin
    ReportOptions report;

    @Mixin
    OverwriteOptions overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        checkDataOptions();
        checkTrainingArguments();
        List<Path> inputs = new ArrayList<>(List.of(model));
        inputs.addAll(dataFiles());
        OutputTarget target = OutputTarget.of(output, format, overwrite.policy(), inputs);
        OutputTarget checkpointTarget = checkpoint == null ? null : OutputTarget.of(checkpoint, null, overwrite.policy(), inputs);
        // Reports are written after training: make sure now that they can be, and lose no input.
        java.util.Map<String, Path> reports = new java.util.LinkedHashMap<>();
        reports.put("--history", history);
        reports.put("--plot", plot);
        reports.put("--checkpoint", checkpoint);
        dev.graft.format.OutputGuard.check(reports, inputs, output);
        for (Path extra : new Path[] {history, plot}) if (extra != null) overwrite.policy().check(extra, inputs);
        String room = dev.graft.format.WriteRoom.problem(output, sizeOf(model));
        if (room != null) throw new dev.graft.GraftException(output + ": cannot be written: " + room);
        TrainingData trainingData = arraysByModel() ? null : loadData();
        ModelFiles.WithNetwork read = ModelFiles.readWithNetwork(model);
        ModelGraph m = read.model();
        if (trainingData == null) trainingData = loadData(m);
        TrainedModelWriter.checkTarget(m, target);
        if (checkpointTarget != null) TrainedModelWriter.checkTarget(m, checkpointTarget);
        TrainOptions options = new TrainOptions(epochs, batchSize, compile.optimizer(), compile.learningRate(), optimizerArgs, compile.loss(), lossArgs,
                compile.metrics(), seed, patience, trainable, classWeight, lrSchedule, checkpoint != null, lossWeights);
        TrainJob.checkOutput(m, options, target);
        if (checkpointTarget != null) TrainJob.checkOutput(m, options, checkpointTarget);
        PrintWriter err = spec.commandLine().getErr();
        TrainingListener listener = report.quiet() ? TrainingListener.SILENT : new ProgressPrinter(err, ProgressPrinter.onTerminal());
        TrainJob.Outcome outcome = TrainJob.run(m, read.network(), trainingData,
                options, listener);
        TrainedModelWriter.write(m, outcome, target, runRecord());
        if (checkpointTarget != null) TrainedModelWriter.write(m, outcome.atBestEpoch(), checkpointTarget, runRecord());
        if (history != null) HistoryFile.write(history, outcome.result().history());
        if (plot != null) CurvePlot.write(plot, outcome.result().history());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (report.json()) {
            spec.commandLine().getOut().print(TrainReport.json(outcome, target, seconds));
            spec.commandLine().getOut().flush();
        } else if (!report.quiet()) {
            err.print(TrainReport.text(outcome, target));
            if (checkpointTarget != null) err.println("wrote " + checkpoint + " (--checkpoint: epoch " + outcome.bestEpoch() + ")");
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

    /** Which data options go together, checked before any file is read. */
    private void checkDataOptions() {
        if (data != null) {
            if (!x.isEmpty() || !y.isEmpty()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either --data with --target, or --x with --y");
            if (target == null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data needs --target COLS (the label columns)");
        } else if (x.isEmpty() || y.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "training data is missing: give --data FILE.csv --target COLS, or --x X.npy --y Y.npy");
        }
        if (validationX.isEmpty() != validationY.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --validation-x with --validation-y");
        }
        if (!validationX.isEmpty() && (validation != null || validationSplit != null || data != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    data != null ? "--validation-x and --validation-y go with --x and --y; with --data give --validation"
                            : "give --validation-x/--validation-y, --validation or --validation-split, one of them");
        }
        if (validation != null && (x.size() > 1 || y.size() > 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--validation takes one input and one label file; for several give --validation-x and --validation-y once per input and output");
        }
        if (validation != null && validationSplit != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --validation or --validation-split, not both");
        }
        if (shuffleSplit && validationSplit == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--shuffle-split chooses the --validation-split rows: give --validation-split F");
        }
    }

    /**
     * --optimizer-arg and --loss-arg against the optimizer and loss given on the command line, before
     * any file is read (with the model's stored optimizer or loss they are checked once it is read).
     */
    private void checkTrainingArguments() {
        try {
            if (optimizerArgs != null && compile.optimizer() != null) {
                dev.graft.engine.train.TrainingVocabulary.optimizerArguments(compile.optimizer(), optimizerArgs);
            }
            if (lossArgs != null && compile.loss() != null) dev.graft.engine.train.TrainingVocabulary.lossArguments(compile.loss(), lossArgs);
        } catch (dev.graft.GraftException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The data files the model learns from (and is validated on), in the order given. */
    private List<Path> dataFiles() {
        List<Path> files = new ArrayList<>();
        if (data != null) files.add(data);
        for (List<String> specs : List.of(x, y, validationX, validationY)) for (String s : specs) files.add(Path.of(fileOf(s)));
        if (validation != null) {
            for (String part : validation.split(",")) {
                Path p = Path.of(part);
                if (java.nio.file.Files.isRegularFile(p)) files.add(p);
            }
        }
        return files;
    }

    /**
     * This run, for the trained file's provenance: the command without folder names, each data
     * file by name and checksum, and the options that decide the weights. The same data and
     * options give the same bytes wherever the files are.
     */
    private ObjectNode runRecord() {
        ObjectNode run = Json.object();
        run.put("command", CommandLines.portable(spec.root().commandLine().getParseResult()));
        ArrayNode files = run.putArray("data");
        for (Path p : dataFiles()) {
            ObjectNode f = files.addObject();
            f.put("file", p.getFileName().toString());
            f.put("sha256", Checksums.sha256(p));
        }
        ObjectNode o = run.putObject("options");
        o.put("epochs", epochs);
        o.put("batch_size", batchSize);
        o.put("seed", seed);
        if (target != null) o.put("target", target);
        if (validationSplit != null) o.put("validation_split", validationSplit);
        if (shuffleSplit) o.put("shuffle_split", true);
        if (patience != null) o.put("early_stopping", patience);
        if (trainable != null) o.put("trainable", trainable);
        if (classWeight != null) o.put("class_weight", classWeight);
        if (lrSchedule != null) o.put("lr_schedule", lrSchedule);
        if (lossWeights != null) o.put("loss_weights", lossWeights);
        return run;
    }

    private TrainingData loadData() {
        TrainingData d = data != null ? TrainingData.fromCsv(data, target) : TrainingData.fromArrays(Path.of(x.get(0)), Path.of(y.get(0)));
        if (validation != null) d = d.withValidation(validation, target);
        if (validationSplit != null) d = d.withValidationSplit(validationSplit, shuffleSplit, seed);
        return d;
    }

    /**
     * Array files bound to the model's inputs and outputs (several of them, or by name): read once the
     * model is, whose input and output names order them.
     */
    private boolean arraysByModel() {
        if (data != null) return false;
        if (x.size() != 1 || y.size() != 1 || !validationX.isEmpty()) return true;
        return !fileOf(x.get(0)).equals(x.get(0)) || !fileOf(y.get(0)).equals(y.get(0));
    }

    private TrainingData loadData(ModelGraph m) {
        List<String> inputs = m.inputs().stream().map(dev.graft.model.TensorRef::layer).toList();
        List<String> outputs = dev.graft.engine.train.TrainJob.outputNames(m);
        TrainingData d = TrainingData.fromArrays(x, y, inputs, outputs);
        if (!validationX.isEmpty()) d = d.withValidationArrays(validationX, validationY, inputs, outputs);
        if (validation != null) d = d.withValidation(validation, target);
        if (validationSplit != null) d = d.withValidationSplit(validationSplit, shuffleSplit, seed);
        return d;
    }

    /** The file of {@code NAME=FILE} (a name is what precedes '=' when no file is named the whole). */
    private static String fileOf(String spec) {
        int eq = spec.indexOf('=');
        return eq > 0 && !java.nio.file.Files.exists(Path.of(spec)) ? spec.substring(eq + 1) : spec;
    }
}
