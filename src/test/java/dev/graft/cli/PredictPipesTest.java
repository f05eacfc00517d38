package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.data.CsvReader;
import dev.graft.data.CsvTable;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict} in a pipeline: {@code -} for standard input and output, {@code --keep} columns, columns named after the model's outputs. */
class PredictPipesTest {
    static final String MODEL = "samples/example3_second.h5"; // (None, 32) -> dense_1 (None, 1)
    static final InputStream REAL_STDIN = System.in;

    @TempDir
    Path dir;

    @AfterEach
    void restoreStdin() {
        System.setIn(REAL_STDIN);
    }

    /** id, 32 features, label; ids that a float32 could not hold exactly. */
    private String table(int rows) {
        StringBuilder sb = new StringBuilder("id");
        for (int i = 0; i < 32; i++) sb.append(",x").append(i);
        sb.append(",label\n");
        for (int r = 0; r < rows; r++) {
            sb.append(123456789 + r);
            for (int i = 0; i < 32; i++) sb.append(',').append((r * 7 + i) % 5 / 4.0);
            sb.append(',').append(r % 2).append('\n');
        }
        return sb.toString();
    }

    @Test
    void standardInToStandardOutWithKeptColumns() throws Exception {
        String text = table(4);
        Path file = dir.resolve("t.csv");
        Files.writeString(file, text);
        Path viaFile = dir.resolve("p.csv");
        Cli fromFile = Cli.run("predict", MODEL, "-i", file.toString(), "--keep", "id,label", "-o", viaFile.toString());
        assertEquals(0, fromFile.exitCode(), fromFile.err());

        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        Cli piped = Cli.run("predict", MODEL, "-i", "-", "--keep", "id,label", "-o", "-", "--quiet");
        assertEquals(0, piped.exitCode(), piped.err());
        assertEquals("", piped.err());
        assertEquals(Files.readString(viaFile), piped.out(), "the same table through pipes as through files");
        List<String> lines = piped.out().lines().toList();
        assertEquals("id,label,dense_1", lines.get(0), "kept columns first, then the output's name");
        assertTrue(lines.get(1).startsWith("123456789,0,"), "kept as written: " + lines.get(1));
        assertTrue(lines.get(4).startsWith("123456792,1,"), lines.get(4));
        assertEquals(5, lines.size());
    }

    @Test
    void columnsAreNamedAfterTheOutput() throws Exception {
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "a,b,c,d,e,f,g,h,i,j\n" + "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0\n");
        Path y = dir.resolve("y.csv");
        assertEquals(0, Cli.run("predict", "samples/example1_first.h5", "-i", x.toString(), "-o", y.toString()).exitCode());
        CsvTable t = CsvReader.read(y);
        assertEquals("dense_1_0", t.columnNames().get(0));
        assertEquals("dense_1_31", t.columnNames().get(31));
    }

    @Test
    void keepNeedsACsvOutputAndJsonNeedsStdout() {
        Cli npy = Cli.run("predict", MODEL, "-i", "samples/example3_train.csv", "--keep", "label", "-o", dir.resolve("p.npy").toString());
        assertEquals(2, npy.exitCode());
        assertTrue(npy.err().startsWith("graft: --keep writes its columns beside the predictions in a CSV output"), npy.err());
        Cli json = Cli.run("predict", MODEL, "-i", "samples/example3_train.csv", "-o", "-", "--json");
        assertEquals(2, json.exitCode());
        assertEquals("usage", json.json().path("error").path("kind").asText());
    }
}
