package dev.graft.cli;

import dev.graft.format.Overwrite;
import picocli.CommandLine.Option;

/**
 * How a command treats an output file that exists, mixed into every command that writes one
 * ({@code @Mixin OverwriteOptions overwrite;}): replaced atomically by default, as
 * {@code model.save} and compilers do; refused with {@code --no-clobber}. {@code --force} stays
 * accepted so scripts written for graft 0.1, where it was needed, keep working.
 */
public final class OverwriteOptions {
    @Option(names = "--no-clobber", description = "Refuse to replace an output file that exists (by default it is replaced, atomically).")
    boolean noClobber;

    @Option(names = "--force", description = "Accepted for compatibility and does nothing: outputs are replaced by default.")
    boolean force;

    public Overwrite policy() {
        return noClobber ? Overwrite.NO_CLOBBER : Overwrite.REPLACE;
    }
}
