package dev.graft.cli;

import dev.graft.engine.ModelConverter;
import dev.graft.format.Json;
import dev.graft.format.ModelFiles;
import dev.graft.inspect.SemanticsWarnings;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.OutputTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft convert MODEL -o OUT}: the same model in another format. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Rewrite a model as a Keras 2 .h5, a Keras 3 .keras or a DL4J .zip (by OUT's extension, or --format).",
            "Keras weights are copied bit for bit; old configurations are spelled so that today's Keras loads them."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:the model was written",
            "1:a model problem: unreadable, not expressible in the output format, output is an input",
            "2:usage error (one line; see graft convert --help)"})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Keras .h5/.keras file or DL4J zip.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file: .h5, .keras or .zip.")
    Path output;

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
        OutputTarget target = OutputTarget.of(output, format, overwrite.policy(), List.of(model));
        ModelGraph m = ModelFiles.read(model);
        ModelConverter.convert(m, model, target);
        List<String> warnings = target.format().isKeras() ? SemanticsWarnings.of(m) : List.of();
        String fmt = target.format().name().toLowerCase(Locale.ROOT);
        if (report.json()) {
            var o = Json.object();
            o.put("input", model.toString());
            o.put("output", output.toString());
            o.put("format", fmt);
            o.put("layers", m.layers().size());
            o.put("params", m.parameterCount());
            var w = o.putArray("warnings");
            warnings.forEach(w::add);
            spec.commandLine().getOut().print(Json.compact(o) + "\n");
            spec.commandLine().getOut().flush();
        } else if (!report.quiet()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("Wrote " + output + " (" + fmt + ") from " + model);
            for (String w : warnings) err.println("  warning: " + w);
            err.flush();
        }
        return ExitCodes.OK;
    }
}
