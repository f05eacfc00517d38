package dev.graft.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code graft completion bash|zsh}: prints picocli's completion script for every command and
 * option, generated from the same annotations as the help, so it never falls behind.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Print a shell completion script for graft.",
            "bash: source <(graft completion bash)    zsh: source <(graft completion zsh)"},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the script was printed", "2:usage error"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(root.getCommandName(), root);
        PrintWriter out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            // picocli's script is written for bash; zsh runs it through its bash compatibility layer.
            out.println("autoload -U +X compinit && compinit");
            out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        out.print(script);
        out.flush();
        return ExitCodes.OK;
    }
}
