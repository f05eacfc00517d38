package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract scripts rely on: under --json stdout is one JSON document even on failure, exit
 * codes tell usage from model problems and a buildable bridge from none, a usage error is at most
 * two lines, bad option values are refused before any file is read.
 */
class CliContractTest {
    static final String A3 = "samples/example3_first.h5";
    static final String B3 = "samples/example3_second.h5";
    static final String CSV = "samples/example3_train.csv";

    @TempDir
    Path dir;

    private String out(String name) {
        return dir.resolve(name).toString();
    }

    /** Every command's failure under --json: one document with the exit code, the file and the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "inspect missing model             | 1 | missing.h5 | inspect,MISSING,--json",
        "inspect A B, B missing            | 1 | missing.h5 | inspect," + A3 + ",MISSING,--json",
        "inspect unknown option            | 2 |            | inspect," + A3 + ",--jsno,--json",
        "merge missing donor               | 1 | missing.h5 | merge," + A3 + ",MISSING,-o,OUT.h5,--json",
        "merge bad bridge count            | 2 |            | merge," + A3 + "," + B3 + ",--bridge,dense:32,--bridge,dense:32,-o,OUT.h5,--json",
        "merge shapes that do not join     | 1 |            | merge," + A3 + "," + B3 + ",-o,OUT.h5,--json",
        "predict missing model             | 1 | missing.h5 | predict,MISSING,-i," + CSV + ",-o,OUT.npy,--json",
        "predict missing --input           | 2 |            | predict," + A3 + ",-o,OUT.npy,--json",
        "train missing data file           | 1 | missing.csv| train," + A3 + ",--data,MISSINGCSV,--target,label,-o,OUT.h5,--json",
        "train bad --validation-split      | 2 |            | train," + A3 + ",--data," + CSV + ",--target,label,--validation-split,1.5,-o,OUT.h5,--json",
        "json given in an argument file    | 2 |            | merge,@ARGS",
    })
    void jsonErrors(String what, int code, String file, String args) throws Exception {
        Files.writeString(dir.resolve("args.txt"), "--json --optimizer adamx " + A3 + " " + B3 + " -o x.h5\n");
        List<String> argv = new ArrayList<>();
        for (String a : args.split(",")) {
            argv.add(a.replace("MISSINGCSV", out("missing.csv")).replace("MISSING", out("missing.h5")).replace("OUT", out("out"))
                    .replace("@ARGS", "@" + dir.resolve("args.txt")));
        }
        Cli r = Cli.run(argv.toArray(String[]::new));
        assertEquals(code, r.exitCode(), r.err());
        JsonNode e = r.json().path("error");
        assertEquals(code, e.path("exit_code").asInt(), r.out());
        assertEquals(code == 2 ? "usage" : "model_or_data", e.path("kind").asText());
        assertEquals(argv.get(0), e.path("command").asText());
        if (file != null) assertEquals(out(file.trim()), e.path("file").asText(), r.out());
        assertTrue(r.err().startsWith("graft: " + e.path("message").asText() + "\n"), "the same message on stderr: " + r.err());
        assertEquals(1, r.out().lines().count(), "one document, nothing else on stdout: " + r.out());
    }

    @ParameterizedTest(name = "{0} -> {1}: exit {2}")
    @CsvSource({
        "example1_first.h5, example1_second.h5, 0, direct",
        "example3_first.h5, example3_second.h5, 3, dense",
        "ts_extractor.h5, ts_lstm32.h5, 3, reshape",
        "ts_extractor.h5, example1_second.h5, 3, flatten_dense",
        "ts_lstm.h5, ts_extractor.h5, 4, incompatible",
    })
    void joinExitCodes(String a, String b, int code, String verdict) {
        Cli r = Cli.run("inspect", "samples/" + a, "samples/" + b, "--brief");
        assertEquals(code, r.exitCode(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith("samples/" + a + " -> samples/" + b + ": " + verdict + ", "), r.out());
    }

    @Test
    void briefNamesTheBridge() {
        Cli r = Cli.run("inspect", A3, B3, "--brief");
        assertEquals(A3 + " -> " + B3 + ": dense, merge with --bridge dense:32 ((None, 64) -> (None, 32))\n", r.out());
        Cli one = Cli.run("inspect", A3, "--brief");
        assertEquals(A3 + ": Keras 2.15.0 Model 'example3_first', 3 layers, 9,664 params, (None, 10) float32 -> (None, 64) float32\n", one.out());
    }

    /** Bad values are usage errors (exit 2) in two lines, before any model is read. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "merge --optimizer adamx     | merge | Invalid value for option '--optimizer': unknown optimizer 'adamx': use one of sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam | merge,NOFILE,NOFILE,--optimizer,adamx,-o,OUT.h5",
        "train --optimizer ftrl      | train | Invalid value for option '--optimizer': unknown optimizer 'ftrl': use one of sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam | train,NOFILE,--x,NOFILE,--y,NOFILE,--optimizer,ftrl,-o,OUT.h5",
        "merge --loss bse            | merge | Invalid value for option '--loss': unknown loss 'bse': use one of binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, mean_squared_error, mean_absolute_error, mean_squared_logarithmic_error, hinge, squared_hinge, kl_divergence, poisson, huber, log_cosh (or mse, mae, msle, kld, bce) | merge,NOFILE,NOFILE,--loss,bse,-o,OUT.h5",
        "train --learning-rate -1    | train | Invalid value for option '--learning-rate': must be a number above 0, got -1 | train,NOFILE,--x,NOFILE,--y,NOFILE,--learning-rate=-1,-o,OUT.h5",
        "train --learning-rate 0     | train | Invalid value for option '--learning-rate': must be a number above 0, got 0 | train,NOFILE,--x,NOFILE,--y,NOFILE,--learning-rate,0,-o,OUT.h5",
        "merge --learning-rate 0     | merge | Invalid value for option '--learning-rate': must be a number above 0, got 0 | merge,NOFILE,NOFILE,--learning-rate,0,-o,OUT.h5",
        "train --validation-split 1.5| train | Invalid value for option '--validation-split': must be a fraction between 0 and 1 (e.g. 0.2), got 1.5 | train,NOFILE,--x,NOFILE,--y,NOFILE,--validation-split,1.5,-o,OUT.h5",
        "train --epochs 0            | train | Invalid value for option '--epochs': must be at least 1, got 0 | train,NOFILE,--x,NOFILE,--y,NOFILE,--epochs,0,-o,OUT.h5",
        "merge bridge count          | merge | 2 --bridge options for 1 junctions: give one per junction, in order, or one for all | merge,NOFILE,NOFILE,--bridge,reshape,--bridge,reshape,-o,OUT.h5",
        "merge unknown option        | merge | Unknown option: '--forse'; did you mean --format or --force? | merge,NOFILE,NOFILE,--forse,-o,OUT.h5",
        "predict missing output      | predict | Missing required option: '--output=FILE' | predict,NOFILE,-i,NOFILE",
    })
    void usageErrorsAreTwoLines(String what, String command, String message, String args) {
        String[] argv = Arrays.stream(args.split(",")).map(a -> a.replace("NOFILE", out("nofile")).replace("OUT", out("out"))).toArray(String[]::new);
        Cli r = Cli.run(argv);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("graft: " + message + "\nsee 'graft " + command + " --help'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void sameMergeFromTwoFoldersGivesTheSameBytes() throws Exception {
        Path one = Files.createDirectories(dir.resolve("one"));
        Path two = Files.createDirectories(dir.resolve("two/models"));
        Files.copy(Path.of(A3), two.resolve("example3_first.h5"));
        Files.createLink(two.resolve("example3_second.h5"), Files.copy(Path.of(B3), dir.resolve("b3.h5")));
        Cli r1 = Cli.run("merge", Path.of(A3).toAbsolutePath().toString(), B3, "--bridge", "dense:32", "-o", one.resolve("h.h5").toString());
        Cli r2 = Cli.run("merge", two.resolve("example3_first.h5").toString(), dir.resolve("two/models/../models/example3_second.h5").toString(),
                "--bridge", "dense:32", "--quiet", "-o", dir.resolve("two/./h.h5").toString());
        assertEquals(0, r1.exitCode(), r1.err());
        assertEquals(0, r2.exitCode(), r2.err());
        assertEquals("", r2.err(), "--quiet");
        assertArrayEquals(Files.readAllBytes(one.resolve("h.h5")), Files.readAllBytes(dir.resolve("two/h.h5")));
        JsonNode prov = Cli.run("inspect", "--json", one.resolve("h.h5").toString()).json().path("provenance");
        assertEquals("example3_first.h5", prov.path("donors").get(0).path("file").asText());
        assertEquals("graft merge example3_first.h5 example3_second.h5 --bridge dense:32 -o h.h5", prov.path("command").asText());
    }

    @Test
    void anOutputThatIsAnInputThroughALinkIsRefused() throws Exception {
        Path donor = Files.copy(Path.of(A3), dir.resolve("a.h5"));
        Path hard = Files.createLink(dir.resolve("hard.h5"), donor);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.h5"), donor);
        byte[] before = Files.readAllBytes(donor);
        for (Path link : List.of(hard, soft)) {
            Cli r = Cli.run("merge", donor.toString(), B3, "--bridge", "dense:32", "-o", link.toString(), "--json");
            assertEquals(1, r.exitCode(), link.toString());
            assertEquals(link + ": is also an input; write the output to another file", r.json().path("error").path("message").asText());
            assertEquals(link.toString(), r.json().path("error").path("file").asText());
        }
        assertArrayEquals(before, Files.readAllBytes(donor));
        assertFalse(Files.exists(dir.resolve(".hard.h5.tmp")));
    }

    @Test
    void functionalGraphsShowWhatEachLayerReads() {
        Path m = dev.graft.Fixtures.file("wild/parkinsons_hybrid_2in_concat_k38.h5");
        Cli r = Cli.run("inspect", m.toString());
        assertTrue(r.out().contains("Connected to"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("concatenate (Concatenate)") && l.endsWith("dense_2[0][0], dense_3[0][0]")), r.out());
        JsonNode concat = Cli.run("inspect", "--json", m.toString()).json().path("layers").get(11);
        assertEquals("concatenate", concat.path("name").asText());
        assertEquals("[\"dense_2[0][0]\",\"dense_3[0][0]\"]", concat.path("connected_to").toString());
        assertFalse(Cli.run("inspect", A3).out().contains("Connected to"), "a chain needs no such column, as in Keras");
    }

    @Test
    void aBridgeIsShownAsABridge() {
        String hybrid = out("ts.h5");
        assertEquals(0, Cli.run("merge", "samples/ts_extractor.h5", "samples/ts_lstm.h5", "--bridge", "dense:8", "-o", hybrid, "-q").exitCode());
        Cli r = Cli.run("inspect", hybrid);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("bridge1_dense (bridge dense:8, as Conv1D)  (None, 16, 8)")), r.out());
        JsonNode layers = Cli.run("inspect", "--json", hybrid).json().path("layers");
        assertEquals("dense:8", layers.get(3).path("bridge").asText());
        assertTrue(layers.get(4).path("bridge").isNull());
    }

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Cli r = Cli.run("completion", "bash");
        assertEquals(0, r.exitCode(), r.err());
        Path script = dir.resolve("graft.bash");
        Files.writeString(script, r.out());
        assertEquals("merge --no-clobber", complete(script, "graft mer", "graft merge --no-c").strip());
        Cli zsh = Cli.run("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"), zsh.out());
        assertEquals(2, Cli.run("completion", "fish").exitCode());
    }

    /** What bash offers for the last word of each line, space-separated, one line per input line. */
    private static String complete(Path script, String... lines) throws Exception {
        StringBuilder sh = new StringBuilder("source '" + script + "'\n");
        for (String line : lines) {
            sh.append("COMP_LINE='").append(line).append("'; COMP_POINT=").append(line.length())
                    .append("; COMP_WORDS=(").append(line).append("); COMP_CWORD=").append(line.split(" ").length - 1)
                    .append("; _complete_graft 2>/dev/null; printf '%s ' \"${COMPREPLY[@]}\"\n");
        }
        Process p = new ProcessBuilder("bash", "-c", sh.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.replace("\n", "").replaceAll(" +", " ");
    }
}
