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
        // JavaCPP asks the operating system for the process's resident size at every native allocation
        // when this limit is set (its default: twice the heap), and ND4J allocates a shape buffer for
        // every array it creates: a third of a small network's training time went to that question
        // (measured with JFR on the example-3 bridge). ND4J's arrays are freed by the garbage collector
        // as before, and JavaCPP's own maxBytes still holds; only the physical-size poll goes. Set before
        // any ND4J class loads.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
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
