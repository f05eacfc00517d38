package dev.graft.batch;

/**
 * What became of one step in a run.
 *
 * @param reason   why it ran or would run (dry run), why it did not run, or null
 * @param message  the failure's message (the command's one-line error), or null
 * @param exitCode the command's exit code, or -1 when it did not run
 * @param stdout   what the command printed on stdout (its report or JSON), or empty
 */
public record StepResult(Step step, Status status, String reason, String message, double seconds, int exitCode, String stdout) {
    public enum Status {
        RAN("ran"), UP_TO_DATE("up-to-date"), FAILED("failed"), NOT_RUN("not-run"), WOULD_RUN("would-run");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    static StepResult notRun(Step step, String reason) {
        return new StepResult(step, Status.NOT_RUN, reason, null, 0, -1, "");
    }
}
