package dev.graft;

import dev.graft.cli.GraftCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point: hands the command line to picocli and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // graft's own output goes through picocli's writers to the real stdout; what libraries print
        // on System.out (ND4J's SameDiff announces every op it differentiates) must not reach it:
        // stdout carries --json documents. With --verbose it goes to stderr.
        PrintWriter out = new PrintWriter(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        System.setOut(verbose ? System.err : new PrintStream(OutputStream.nullOutputStream()));
        System.exit(GraftCommand.run(out, err, args));
    }
}
