package dev.graft.cli;

import dev.graft.model.DType;
import dev.graft.surgery.BridgeSpec;
import dev.graft.surgery.CutSpec;
import dev.graft.surgery.Donor;
import dev.graft.surgery.Donors;
import dev.graft.surgery.Freeze;
import dev.graft.surgery.MergePlan;
import dev.graft.surgery.MergePlanner;
import dev.graft.surgery.MergeRequest;
import dev.graft.surgery.OutputTarget;
import dev.graft.surgery.TrainingSpec;
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

/** {@code graft merge FIRST SECOND [MORE...] -o OUT}: splice models into one hybrid. */
@Command(name = "merge", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Join the output of each model to the input of the next, through optional bridges,"
            + " and write the hybrid as a Keras .h5 or .keras, or a DL4J .zip.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:the hybrid was written (or planned, with --dry-run)",
            "1:a model problem: unreadable, shapes that do not join, a bridge that does not fit, output is an input",
            "2:usage error (a bad option value, the wrong number of --bridge options, ...)"})
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "MODEL",
            description = {"Donor models in chain order (Keras .h5/.keras, DL4J zip). A donor may be cut inline:",
                "FILE:until=LAYER, FILE:drop-last=N, FILE:from=LAYER (combinable), e.g. samples/ts_classifier.h5:until=max_pooling1d."})
    List<String> models;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file: .h5 (Keras 2), .keras (Keras 3) or .zip (DL4J).")
    Path output;

    @Option(names = "--bridge", paramLabel = "SPEC",
            description = {"Per junction in order, or once for all: auto, none (no bridge at this junction), or a comma-separated",
                "chain of flatten, reshape, reshape:AxBxC, dense:N, dense:N:ACTIVATION (relu default), dropout:R, gap, gmp;",
                "e.g. --bridge flatten,dense:32."})
    List<String> bridges = new ArrayList<>();

    @Option(names = "--format", paramLabel = "h5|keras|zip", description = "Output format (default: from the extension).")
    String format;

    @Option(names = "--freeze", paramLabel = "WHICH", defaultValue = "none",
            description = "Layers that keep their weights in training: donors, first, second or none (default: ${DEFAULT-VALUE}).")
    String freeze;

    /** The training configuration to record in the hybrid; what is not given comes from the last donor. */
    @Mixin
    CompileOptions compile;

    @Option(names = "--prefix", split = ",", paramLabel = "ROLE=PREFIX",
            description = "Prefix for a donor's layer names, e.g. first=cnn_,second=rnn_ (default: the file name, only where names collide).")
    List<String> prefixes = new ArrayList<>();

    @Option(names = "--cast", paramLabel = "float32|float64", description = "Compute donors of different float types in this one.")
    String cast;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for new bridge weights (default: ${DEFAULT-VALUE}).")
    long seed;

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
        MergeOptions opts = MergeOptions.parse(spec.commandLine(), freeze, cast, prefixes, bridges, models.size());
        List<CutSpec.Donor> args = new ArrayList<>();
        try {
            for (String m : models) args.add(CutSpec.parseInline(m));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Path> files = args.stream().map(CutSpec.Donor::file).toList();
        OutputTarget target = null;
        if (!dryRun) {
            if (output == null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--output=OUT' (or --dry-run)");
            target = OutputTarget.of(output, format, overwrite.policy(), files);
        }
        List<Donor> donors = new ArrayList<>();
        List<Donor> loaded = Donors.load(files);
        for (int i = 0; i < loaded.size(); i++) donors.add(loaded.get(i).withCut(args.get(i).cut()));
        TrainingSpec training = new TrainingSpec(compile.optimizer(), compile.learningRate(), compile.loss(), compile.metrics());
        MergeRequest req = new MergeRequest(donors, opts.bridges(), opts.freeze(), training, opts.prefixes(), opts.cast(), seed,
                CommandLines.portable(spec.root().commandLine().getParseResult()));
        MergePlan plan = MergePlanner.plan(req);
        if (target != null) {
            HybridOutput.write(plan, target);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (report.json()) {
            out.print(MergeReport.json(plan, target));
        } else if (dryRun) {
            out.print(MergeReport.text(plan, null));
        } else if (!report.quiet()) {
            err.print(MergeReport.text(plan, target));
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /** The options that need parsing beyond picocli's, checked before any model is read. */
    record MergeOptions(List<BridgeSpec> bridges, Freeze freeze, java.util.Map<Integer, String> prefixes, DType cast) {
        static MergeOptions parse(picocli.CommandLine cl, String freeze, String cast, List<String> prefixes, List<String> bridges, int donors) {
            try {
                List<BridgeSpec> specs = bridges.stream().map(BridgeSpec::parse).toList();
                if (specs.size() > 1 && specs.size() != donors - 1) {
                    throw new IllegalArgumentException(specs.size() + " --bridge options for " + (donors - 1)
                            + " junctions: give one per junction, in order, or one for all");
                }
                java.util.Map<Integer, String> pre = new java.util.HashMap<>();
                for (String p : prefixes) {
                    int eq = p.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException("bad --prefix '" + p + "': use ROLE=PREFIX, e.g. first=cnn_");
                    pre.put(roleIndex(p.substring(0, eq), donors), p.substring(eq + 1));
                }
                DType c = null;
                if (cast != null) {
                    c = DType.fromKeras(cast);
                    if (c != DType.FLOAT32 && c != DType.FLOAT64) throw new IllegalArgumentException("bad --cast '" + cast + "': use float32 or float64");
                }
                return new MergeOptions(specs, Freeze.parse(freeze), pre, c);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(cl, e.getMessage());
            }
        }

        private static int roleIndex(String role, int donors) {
            for (int i = 0; i < donors; i++) if (MergePlanner.role(i).equals(role)) return i;
            try {
                int n = Integer.parseInt(role);
                if (n >= 1 && n <= donors) return n - 1;
            } catch (NumberFormatException ignored) {
                // not a number either
            }
            throw new IllegalArgumentException("bad --prefix role '" + role + "': use first, second, ... or 1, 2, ... (" + donors + " donors)");
        }
    }
}
