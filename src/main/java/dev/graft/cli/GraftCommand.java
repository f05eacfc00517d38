package dev.graft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code graft} command: only wiring of the subcommands. */
@Command(name = "graft", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Splice trained neural networks (Keras .h5/.keras, DL4J zips) into hybrid models.")
public final class GraftCommand implements Runnable {

    public static int run(String... args) {
        return new CommandLine(new GraftCommand()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
