package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.EngineModel;
import dev.graft.engine.EngineModels;
import dev.graft.format.Json;
import dev.graft.data.ModelInputs;
import dev.graft.data.ModelOutputs;
import dev.graft.model.HostArray;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft predict MODEL --input X -o Y}: run a model on data files. */
@Command(name = "predict", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Run a model (Keras, DL4J, or a graft hybrid) on .npy, .npz or .csv input in Keras layout"
            + " (batch first, channels/features last) and write .npy, .npz or .csv.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:predictions written",
            "1:a model or data problem (unreadable, not computable, shapes that disagree)",
            "2:usage error"})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    Path model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "[NAME=]FILE",
            description = "Input data, once per model input in order, or NAME=FILE; an .npz may hold all inputs by name; - reads CSV or .npy from standard input.")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Where predictions go (.npy, .csv, .npz; - writes CSV to standard output); several outputs: .npz, or one file each named FILE_<output>.")
    Path output;

    @Option(names = "--drop", paramLabel = "COLS", description = "Columns of CSV inputs to leave out, e.g. the label column of a training table.")
    String drop;

    @Option(names = "--keep", paramLabel = "COLS",
            description = "Columns of the CSV input (an id, a label) to copy, as written, into the CSV output before the predictions; they are not fed to the model.")
    String keep;

    /** What {@code --input -} reads; {@code graft run} or a test may give another stream. */
    InputStream stdin = System.in;

    @Mixin
    ReportOptions report;

    @Mixin
    OverwriteOptions overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        boolean toStdout = ModelOutputs.isStdout(output);
        if (toStdout && report.json()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-o - writes the predictions to standard output, where --json would go: give one");
        }
        if (keep != null && !toStdout && !output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--keep writes its columns beside the predictions in a CSV output: name the output .csv, or give -o -");
        }
        PrintWriter out = spec.commandLine().getOut();
        EngineModel engine = EngineModels.load(model);
        Map<String, Path> outFiles = ModelOutputs.plan(output, engine.outputNames(), overwrite.policy(), inputFiles());
        ModelInputs.Bound bound = ModelInputs.bind(inputs, drop, keep, engine.inputNames(), engine.inputShapes(), stdin);
        List<HostArray> data = bound.arrays();
        HostArray[] predictions = engine.predict(data.toArray(HostArray[]::new));
        ModelOutputs.write(outFiles, engine.outputNames(), predictions, bound.kept(), out);
        double seconds = (System.nanoTime() - start) / 1e9;

        if (report.json()) {
            out.print(Json.compact(report(engine, data, predictions, outFiles, seconds)) + "\n");
        } else if (!report.quiet()) {
            PrintWriter err = spec.commandLine().getErr();
            for (int i = 0; i < predictions.length; i++) {
                err.println("wrote " + (toStdout ? "standard output" : outFiles.get(engine.outputNames().get(i))) + ": " + engine.outputNames().get(i) + " "
                        + ModelInputs.shapeText(predictions[i].shape()));
            }
            err.flush();
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The model and the data files, which no output may overwrite. */
    private List<Path> inputFiles() {
        List<Path> ins = new ArrayList<>(List.of(model));
        for (String s : inputs) {
            if (s.equals("-")) continue;
            int eq = s.indexOf('=');
            ins.add(Path.of(eq > 0 && !Files.exists(Path.of(s)) ? s.substring(eq + 1) : s));
        }
        return ins;
    }

    private ObjectNode report(EngineModel engine, List<HostArray> data, HostArray[] predictions, Map<String, Path> files, double seconds) {
        ObjectNode o = Json.object();
        o.put("model", model.toString());
        o.put("rows", data.isEmpty() ? 0 : data.get(0).shape()[0]);
        ArrayNode ins = o.putArray("inputs");
        for (int i = 0; i < data.size(); i++) {
            ObjectNode t = ins.addObject();
            t.put("name", engine.inputNames().get(i));
            ArrayNode s = t.putArray("shape");
            for (long d : data.get(i).shape()) s.add(d);
        }
        ArrayNode outs = o.putArray("outputs");
        for (int i = 0; i < predictions.length; i++) {
            ObjectNode t = outs.addObject();
            t.put("name", engine.outputNames().get(i));
            t.put("file", files.get(engine.outputNames().get(i)).toString());
            ArrayNode s = t.putArray("shape");
            for (long d : predictions[i].shape()) s.add(d);
        }
        o.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return o;
    }
}
