package dev.graft.engine.keras;

import org.junit.jupiter.api.Assumptions;

import java.io.File;

/** Finds the read-only shared fixtures folder; tests using it skip, with a message, where it is absent. */
final class WildFixtures {

    private WildFixtures() {
    }

    static File file(String relative) {
        File dir = dir();
        Assumptions.assumeTrue(dir != null, "shared fixtures folder not found (set -Dgraft.fixtures)");
        File f = new File(dir, relative);
        Assumptions.assumeTrue(f.isFile(), "fixture missing: " + f);
        return f;
    }

    private static File dir() {
        String prop = System.getProperty("graft.fixtures");
        if (prop != null && new File(prop).isDirectory()) {
            return new File(prop);
        }
        // a git worktree sits deeper than the main checkout: look upwards for shared/fixtures
        for (File d = new File("").getAbsoluteFile(); d != null; d = d.getParentFile()) {
            File candidate = new File(d, "shared/fixtures");
            if (candidate.isDirectory()) {
                return candidate;
            }
        }
        return null;
    }
}
