package dev.graft.kill;

import dev.graft.cli.GraftCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs one graft command over and over in this JVM, printing "done N" after each run, until
 * killed: {@link KillDuringWriteTest} kills it with SIGKILL at random moments, so the kills land
 * in every phase of the command's writes without paying a JVM start per kill point.
 */
public final class RepeatCommand {
    private RepeatCommand() {
    }

    public static void main(String[] args) {
        for (int n = 1; ; n++) {
            StringWriter err = new StringWriter();
            int code = GraftCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
            if (code != 0) {
                System.out.println("failed " + code + " " + err);
                System.out.flush();
                System.exit(code);
            }
            System.out.println("done " + n);
            System.out.flush();
            if (Boolean.getBoolean("graft.repeat.once")) System.exit(0);
        }
    }
}
