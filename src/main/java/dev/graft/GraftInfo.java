package dev.graft;

/** Facts about this build of graft that outputs record. */
public final class GraftInfo {
    /** Kept in step with the pom's version. */
    public static final String VERSION = "0.1.0";

    private GraftInfo() {
    }
}
