package dev.graft.cli;

import dev.graft.format.ModelFiles;
import dev.graft.inspect.JoinMatrix;
import dev.graft.inspect.JoinReport;
import dev.graft.inspect.ModelSummarizer;
import dev.graft.inspect.ModelSummary;
import dev.graft.model.ModelGraph;
import dev.graft.picture.ModelPicture;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft inspect MODEL [SECOND]}: what a model holds, and whether one feeds the other. */
@Command(name = "inspect", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Report a model's layers, shapes, parameters and dtypes.",
            "Given two models, also report whether FIRST's output feeds SECOND's input, and which --bridge would make it fit."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:success (with two models: they join directly; with --matrix: every model was read)",
            "1:a model file is unreadable or not a model (with --matrix: the others are still reported)",
            "2:usage error",
            "3:the two models join through a bridge graft builds (named in the output)",
            "4:no bridge graft builds joins the two models"})
final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "MODEL",
            description = "Keras .h5/.keras file or DL4J zip; a second model, to check whether the first feeds it; with --matrix, any number.")
    List<Path> models;

    @Option(names = "--matrix", description = "Check every ordered pair of the models given: which one's output feeds which one's input.")
    boolean matrix;

    @Option(names = "--brief", description = "One line: the model's producer, size and shapes; with SECOND, the verdict and its --bridge.")
    boolean brief;

    @Option(names = "--graph", paramLabel = "FILE.svg|FILE.png",
            description = "Draw the model as Keras's plot_model does (donors and bridges of a hybrid in their own colours, shapes on the arrows).")
    Path graph;

    @Mixin
    ReportOptions report;

    @Mixin
    OverwriteOptions overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (matrix) {
            JoinMatrix m = JoinMatrix.of(models);
            out.print(report.json() ? MatrixReport.json(m) : MatrixReport.text(m));
            out.flush();
            return m.allRead() ? ExitCodes.OK : ExitCodes.MODEL_OR_DATA;
        }
        if (models.size() > 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give one model, or two to check a join, or --matrix MODEL...");
        }
        Path first = models.get(0);
        Path second = models.size() > 1 ? models.get(1) : null;
        if (graph != null) {
            if (second != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--graph draws one model: give MODEL alone");
            ModelPicture.checkName(graph);
            overwrite.policy().check(graph, List.of(first));
        }
        ModelGraph a = ModelFiles.read(first);
        ModelSummary sa = ModelSummarizer.summarize(a);
        if (graph != null) {
            ModelPicture.write(a, graph);
            if (report.json()) out.print(SummaryJson.render(sa));
            else if (!report.quiet()) spec.commandLine().getErr().println("wrote " + graph);
            out.flush();
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
        if (second == null) {
            if (report.json()) out.print(SummaryJson.render(sa));
            else if (brief) out.println(BriefText.model(sa));
            else if (!report.quiet()) out.print(SummaryText.render(sa));
            out.flush();
            return ExitCodes.OK;
        }
        ModelGraph b = ModelFiles.read(second);
        ModelSummary sb = ModelSummarizer.summarize(b);
        JoinReport join = JoinReport.of(sa, sb);
        if (report.json()) out.print(SummaryJson.render(sa, sb, join));
        else if (brief) out.println(BriefText.join(sa, sb, join));
        else if (!report.quiet()) out.print(SummaryText.render(sa, sb, join));
        out.flush();
        return ExitCodes.forJoin(join.result());
    }
}
