package dev.graft.cli;

import dev.graft.format.Checksums;
import dev.graft.format.ModelFiles;
import dev.graft.surgery.AdaptFreeze;
import dev.graft.surgery.AdaptPlan;
import dev.graft.surgery.AdaptPlanner;
import dev.graft.surgery.AdaptRequest;
import dev.graft.surgery.AdaptTargets;
import dev.graft.surgery.BridgeSpec;
import dev.graft.surgery.CutSpec;
import dev.graft.surgery.Donor;
import dev.graft.surgery.OutputTarget;
import dev.graft.surgery.TrainingSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft adapt MODEL -o OUT}: cut a model, give it a new head, bridge it to a target shape. */
@Command(name = "adapt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cut a model at a layer, append a new head, and bridge its output (or a new input) to a target shape;",
            "write the result as a Keras .h5 or a DL4J .zip. The kept layers compute exactly what they computed in MODEL.",
            "",
            "Order: cut (--from, --until/--drop-last), input bridge (--from-shape/--from-output-of), --head, output bridge",
            "(--to-shape/--to-input-of).",
            "",
            "Bridge and head grammar: a comma-separated chain of flatten, reshape, reshape:AxB, dense:N, dense:N:ACTIVATION",
            "(relu, linear, tanh, sigmoid, softmax; relu by default), dropout:R, gap (global average pooling), gmp (global max",
            "pooling); a bridge may also be auto (the default: nothing when the shapes join, else reshape, dense:N or",
            "flatten,dense:N) or none.",
            "",
            "Examples:",
            "  graft adapt samples/ts_classifier.h5 --until max_pooling1d -o features.h5",
            "  graft adapt samples/ts_classifier.h5 --drop-last 2 --to-input-of samples/ts_lstm.h5 --bridge dense:8 -o f8.h5",
            "  graft adapt samples/ts_classifier.h5 --until flatten --head dropout:0.3,dense:3:softmax --loss categorical_crossentropy -o c3.h5"},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:the adapted model was written (or planned, with --dry-run)",
            "1:a model problem: unreadable, a cut graft refuses, a bridge that does not fit, output is an input",
            "2:usage error (one line; see graft adapt --help)"})
final class AdaptCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model to adapt (Keras .h5/.keras, DL4J zip).")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file: .h5 (Keras 2), .keras (Keras 3) or .zip (DL4J), e.g. -o features.h5.")
    Path output;

    @Option(names = "--until", paramLabel = "LAYER",
            description = "Keep the model up to this layer; its output becomes the model's, e.g. --until max_pooling1d. "
                    + "A nested model's layer: its name, or OUTER/INNER.")
    String until;

    @Option(names = "--drop-last", paramLabel = "N", description = "Drop the last N layers, e.g. --drop-last 2.")
    Integer dropLast;

    @Option(names = "--from", paramLabel = "LAYER",
            description = "Keep the model from this layer on, reading a new input of the shape the layer reads, e.g. --from lstm.")
    String from;

    @Option(names = "--to-shape", paramLabel = "SHAPE", description = "Bridge the output to this per-sample shape, e.g. --to-shape 32 or --to-shape 16x8.")
    String toShape;

    @Option(names = "--to-input-of", paramLabel = "OTHER", description = "Bridge the output to the input another model expects, e.g. --to-input-of samples/ts_lstm.h5.")
    Path toInputOf;

    @Option(names = "--from-shape", paramLabel = "SHAPE", description = "A new input of this per-sample shape, bridged into the model's input, e.g. --from-shape 64.")
    String fromShape;

    @Option(names = "--from-output-of", paramLabel = "OTHER",
            description = "A new input shaped as another model's output, bridged into the model's input, e.g. --from-output-of samples/example1_first.h5.")
    Path fromOutputOf;

    @Option(names = "--bridge", paramLabel = "SPEC",
            description = "Bridge chain (see above; default auto), once for both bridges or input side then output side, e.g. --bridge flatten,dense:32.")
    List<String> bridges = new ArrayList<>();

    @Option(names = "--head", paramLabel = "SPEC",
            description = "Layers appended after the cut (repeatable or comma-chained), e.g. --head dropout:0.3,dense:10:softmax.")
    List<String> heads = new ArrayList<>();

    @Option(names = "--freeze", paramLabel = "WHICH", defaultValue = "none",
            description = "Layers that keep their weights in training: kept (all kept layers), none, or LAYER,LAYER,... "
                    + "(default: ${DEFAULT-VALUE}), e.g. --freeze kept. New layers stay trainable.")
    String freeze;

    /** The training configuration to record, e.g. --optimizer adam --loss categorical_crossentropy (default: the source's). */
    @Mixin
    CompileOptions compile;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for new layers' weights (default: ${DEFAULT-VALUE}), e.g. --seed 7.")
    long seed;

    @Option(names = "--format", paramLabel = "h5|keras|zip", description = "Output format (default: from the extension), e.g. --format zip.")
    String format;

    @Option(names = "--dry-run", description = "Print what would be built; write nothing.")
    boolean dryRun;

    @Mixin
    ReportOptions report;

    @Mixin
    OverwriteOptions overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Options opts = Options.parse(this, cl);
        OutputTarget target = null;
        List<Path> inputs = new ArrayList<>(List.of(model));
        if (toInputOf != null) inputs.add(toInputOf);
        if (fromOutputOf != null) inputs.add(fromOutputOf);
        if (!dryRun) {
            if (output == null) throw new CommandLine.ParameterException(cl, "Missing required option: '--output=OUT'");
            target = OutputTarget.of(output, format, overwrite.policy(), inputs);
        }
        Donor source = new Donor(model, ModelFiles.read(model), Checksums.sha256(model), opts.cut());
        AdaptTargets.Target to = toInputOf != null ? AdaptTargets.inputOf(toInputOf) : AdaptTargets.shape(opts.toShape(), toShape);
        AdaptTargets.Target in = fromOutputOf != null ? AdaptTargets.outputOf(fromOutputOf) : AdaptTargets.shape(opts.fromShape(), fromShape);
        AdaptRequest req = new AdaptRequest(source, in == null ? null : in.shape(), in == null ? null : in.what(),
                to == null ? null : to.shape(), to == null ? null : to.what(), opts.bridges(), opts.head(), opts.freeze(),
                new TrainingSpec(compile.optimizer(), compile.learningRate(), compile.loss(), compile.metrics()), seed,
                CommandLines.portable(spec.root().commandLine().getParseResult()));
        AdaptPlan plan = AdaptPlanner.plan(req);
        if (target != null) HybridOutput.write(plan, target);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if (report.json()) {
            out.print(AdaptReport.json(plan, target));
        } else if (dryRun) {
            out.print(AdaptReport.text(plan, null));
        } else if (!report.quiet()) {
            err.print(AdaptReport.text(plan, target));
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /** The options that need parsing beyond picocli's, checked before any model is read. */
    record Options(CutSpec cut, dev.graft.model.Shape toShape, dev.graft.model.Shape fromShape, List<BridgeSpec> bridges, BridgeSpec head,
                   AdaptFreeze freeze) {
        static Options parse(AdaptCommand c, CommandLine cl) {
            try {
                if (c.until != null && c.dropLast != null) throw new IllegalArgumentException("give --until or --drop-last, not both");
                if (c.toShape != null && c.toInputOf != null) throw new IllegalArgumentException("give --to-shape or --to-input-of, not both");
                if (c.fromShape != null && c.fromOutputOf != null) throw new IllegalArgumentException("give --from-shape or --from-output-of, not both");
                if (c.dropLast != null && c.dropLast < 1) throw new IllegalArgumentException("--drop-last needs a positive number of layers, got " + c.dropLast);
                CutSpec cut = new CutSpec(c.until, c.dropLast == null ? 0 : c.dropLast, c.from);
                List<BridgeSpec> bridges = c.bridges.stream().map(BridgeSpec::parse).toList();
                BridgeSpec head = null;
                for (String h : c.heads) head = head == null ? BridgeSpec.parseHead(h) : head.then(BridgeSpec.parseHead(h));
                return new Options(cut, AdaptTargets.parseShape("--to-shape", c.toShape), AdaptTargets.parseShape("--from-shape", c.fromShape),
                        bridges, head, AdaptFreeze.parse(c.freeze));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
        }
    }
}
