package dev.graft.batch;

/**
 * How to run a plan.
 *
 * @param jobs      steps run at once, each on its own thread of this JVM
 * @param force     run every step, up to date or not
 * @param keepGoing after a failure, still run every step that does not depend on it (as {@code make -k})
 * @param dryRun    say what would run and why; run nothing
 * @param quiet     leave the steps' own messages out of the progress
 */
public record RunOptions(int jobs, boolean force, boolean keepGoing, boolean dryRun, boolean quiet) {
}
