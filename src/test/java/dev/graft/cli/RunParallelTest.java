package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.batch.Plan;
import dev.graft.batch.PlanBuilder;
import dev.graft.batch.PlanRunner;
import dev.graft.batch.RunOptions;
import dev.graft.batch.StepCommands;
import dev.graft.batch.StepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code -j 2} runs independent steps at the same time: each step below waits at a barrier until
 * the other has started too, which can only happen when both run at once (no timing involved).
 */
class RunParallelTest {
    @TempDir
    Path dir;

    /** graft's commands, except that running a step meets the other step at a barrier first. */
    private static final class Meeting implements StepCommands {
        final GraftSubcommands real = new GraftSubcommands();
        final CyclicBarrier barrier = new CyclicBarrier(2);

        @Override
        public Set<String> kinds() {
            return real.kinds();
        }

        @Override
        public CommandLine.Model.CommandSpec spec(String kind) {
            return real.spec(kind);
        }

        @Override
        public CommandLine.ParseResult parse(String kind, List<String> args) {
            return real.parse(kind, args);
        }

        @Override
        public int execute(String kind, List<String> args, PrintWriter out, PrintWriter err) {
            if (!args.contains("--dry-run")) {
                try {
                    barrier.await(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    err.println("graft: the other step never started: " + e);
                    return 1;
                }
            }
            return real.execute(kind, args, out, err);
        }
    }

    @Test
    void independentStepsRunAtTheSameTimeAndTheirDependantAfterBoth() throws IOException {
        for (String f : List.of("example1_first.h5", "example1_second.h5", "example3_first.h5", "example3_second.h5")) {
            Files.copy(Path.of("samples", f), dir.resolve(f));
        }
        Path planFile = dir.resolve("plan.yaml");
        Files.writeString(planFile, """
                steps:
                  - merge: [example1_first.h5, example1_second.h5, -o, a.h5]
                  - merge: [example3_first.h5, example3_second.h5, --bridge, "dense:32", -o, b.h5]
                  - inspect: [--matrix, a.h5, b.h5]
                """);
        Meeting commands = new Meeting();
        Plan plan = PlanBuilder.build(planFile, commands);
        StringWriter progress = new StringWriter();
        // the third step would wait at the barrier forever alone: let it pass once the first two met
        List<StepResult> results = new PlanRunner(plan, new StepCommands() {
            int executed;

            @Override
            public Set<String> kinds() {
                return commands.kinds();
            }

            @Override
            public CommandLine.Model.CommandSpec spec(String kind) {
                return commands.spec(kind);
            }

            @Override
            public CommandLine.ParseResult parse(String kind, List<String> args) {
                return commands.parse(kind, args);
            }

            @Override
            public int execute(String kind, List<String> args, PrintWriter out, PrintWriter err) {
                return kind.equals("inspect") ? commands.real.execute(kind, args, out, err) : commands.execute(kind, args, out, err);
            }
        }, new RunOptions(2, false, false, false, false), new PrintWriter(progress, true), null).run();
        assertEquals(List.of(StepResult.Status.RAN, StepResult.Status.RAN, StepResult.Status.RAN),
                results.stream().map(StepResult::status).toList(), progress.toString());
        assertEquals(Set.of(1, 2), plan.dependsOn().get(3));
        // both merges had started before either finished, and the matrix saw both files
        String matrix = results.get(2).stdout();
        assertEquals(true, matrix.contains("1 -> 2") || matrix.contains("2 -> 1") || matrix.contains("No pair joins"), matrix);
    }
}
