package dev.graft.cli;

import dev.graft.shape.Compatibility;

/** graft's exit codes; stable, documented in --help and the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A model or data problem: unreadable, unsupported, incompatible without a bridge in merge. */
    public static final int MODEL_OR_DATA = 1;
    /** A usage error: an unknown option, a bad option value, options that contradict each other. */
    public static final int USAGE = 2;
    /** {@code inspect A B}: the models join through a bridge graft builds (the output names it). */
    public static final int NEEDS_BRIDGE = 3;
    /** {@code inspect A B}: no bridge graft builds joins them. */
    public static final int NOT_JOINABLE = 4;

    static final String[] HELP_LIST = {
        "0:success",
        "1:a model or data problem (unreadable, unsupported, incompatible)",
        "2:usage error (one line; see COMMAND --help)",
        "3:inspect A B: the models join through a bridge graft builds (named in the output)",
        "4:inspect A B: no bridge graft builds joins them",
    };

    private ExitCodes() {
    }

    /** 0 when the models join directly, 3 when a bridge graft builds joins them, 4 when none does. */
    public static int forJoin(Compatibility.Result join) {
        if (join.fitsDirectly()) return OK;
        return join.joinsWithBridge() ? NEEDS_BRIDGE : NOT_JOINABLE;
    }
}
