package dev.graft.cli;

/** graft's exit codes; stable, documented in --help and the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A model or data problem: unreadable, unsupported, incompatible without a bridge in merge. */
    public static final int MODEL_OR_DATA = 1;
    /** A usage error (picocli's default). */
    public static final int USAGE = 2;
    /** {@code inspect A B}: the two models join through a bridge graft builds. */
    public static final int NEEDS_BRIDGE = 3;
    /** {@code inspect A B}: no bridge graft builds joins the two models. */
    public static final int NO_BRIDGE = 4;

    static final String[] HELP_LIST = {
        "0:success",
        "1:a model or data problem (unreadable, unsupported, incompatible)",
        "2:usage error",
        "3:inspect A B: the models join through a bridge graft builds",
        "4:inspect A B: no bridge graft builds joins them",
    };

    private ExitCodes() {
    }
}
