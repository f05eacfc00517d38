package dev.graft.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher bin/graft in a copy of the project whose build is already done (its classpath is
 * this test's): it survives a stale build lock, runs under LC_ALL=C with a non-ASCII path, and
 * says exactly what to do when the build's jars cannot be read (another user's Maven repository;
 * simulated with a jar that is not there, since root reads everything).
 */
class LauncherTest {
    @TempDir
    Path project;

    @BeforeEach
    void copyLauncher() throws IOException {
        Path bin = Files.createDirectories(project.resolve("bin"));
        for (String f : List.of("graft", "platform")) {
            Files.copy(Path.of("bin", f), bin.resolve(f));
            Files.setPosixFilePermissions(bin.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createDirectories(project.resolve("src/main"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(project.resolve("src/main"), old);
        Files.setLastModifiedTime(project.resolve("src"), old);
        Files.setLastModifiedTime(project.resolve("pom.xml"), old);
        Path target = Files.createDirectories(project.resolve("target"));
        try (OutputStream o = Files.newOutputStream(target.resolve("graft.jar")); JarOutputStream j = new JarOutputStream(o)) {
            // an empty jar: the classes come from the classpath file below
        }
        Files.writeString(target.resolve("runtime-classpath.txt"), System.getProperty("java.class.path"));
        Files.writeString(target.resolve(".graft-built"), "");
        // A fake Maven that fails at once: no test may start a real build.
        Path fake = Files.createDirectories(project.resolve("fakebin"));
        Files.writeString(fake.resolve("mvn"), "#!/bin/sh\necho 'fake maven: no build here' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int code, String out, String err) {
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", project.resolve("bin/graft").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", project.resolve("fakebin") + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        Path out = project.resolve("out.txt"), err = project.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // A guard against a launcher that waits forever, not a timing assertion.
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void nonAsciiPathUnderTheCLocale() throws Exception {
        Path model = Files.copy(Path.of("samples/example1_first.h5"), project.resolve("modèle_é.h5"));
        Run r = launch(Map.of("LC_ALL", "C", "LANG", "C"), "inspect", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Keras HDF5"), r.out());
    }

    @Test
    void staleBuildLockIsTakenOver() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path lock = Files.createDirectories(project.resolve("target/.build-lock"));
        Files.writeString(lock.resolve("pid"), finished.pid() + "\n");
        // Sources newer than the build: the launcher must build, so it needs the lock.
        Files.setLastModifiedTime(project.resolve("pom.xml"), FileTime.from(Instant.now().plusSeconds(5)));
        Run r = launch(Map.of(), "--version");
        assertTrue(r.err().contains("taking over the build lock") && r.err().contains("process " + finished.pid()), r.err());
        // The fake Maven fails: the launcher says so and stops, leaving no lock.
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("build failed"), r.err());
        assertTrue(!Files.exists(lock), "lock released");
    }

    @Test
    void unreadableClasspathSaysWhatToDo() throws Exception {
        Path missing = project.resolve("other-user/.m2/repository/x.jar");
        Files.writeString(project.resolve("target/runtime-classpath.txt"), missing + ":" + System.getProperty("java.class.path"));
        Run r = launch(Map.of(), "--version");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("cannot read " + missing) && r.err().contains("another user") && r.err().contains("git clone"), r.err());
    }
}
