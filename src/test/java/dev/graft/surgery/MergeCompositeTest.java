package dev.graft.surgery;

import static dev.graft.testutil.ArrayAssertions.assertClose;
import static dev.graft.surgery.HybridChecks.dense;
import static dev.graft.surgery.HybridChecks.predict;
import static dev.graft.surgery.HybridChecks.randomInput;
import static dev.graft.surgery.HybridChecks.reshape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.cli.Cli;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code merge} with composite bridges ({@code flatten,dense:N}, pooling, dropout, per-junction
 * {@code none}) and donors cut inline ({@code FILE:until=LAYER}): exact to 1e-6 against the donors
 * chained by hand, in .h5 and .zip alike.
 */
class MergeCompositeTest {
    static final Path S = Path.of("samples");
    static final double TOL = 1e-6;

    @TempDir
    Path dir;

    @Test
    void autoPicksFlattenDenseForTheSamplesCnnIntoMlp() {
        Cli r = Cli.run("merge", "samples/ts_extractor.h5", "samples/example1_second.h5", "--bridge", "auto", "--dry-run", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = r.json().path("junctions").get(0);
        assertEquals("flatten,dense:32", j.path("bridge").asText());
        assertTrue(j.path("chosen_by_auto").asBoolean());
        assertEquals("[\"bridge1_flatten\",\"bridge1_dense\"]", j.path("layers").toString());
        // Without --bridge, the refusal names the bridge that fits.
        Cli plain = Cli.run("merge", "samples/ts_extractor.h5", "samples/example1_second.h5", "--dry-run");
        assertEquals(1, plain.exitCode());
        assertEquals("graft: samples/ts_extractor.h5 gives (None, 16, 16) but samples/example1_second.h5 expects (None, 32);"
                + " add --bridge flatten,dense:32\n", plain.err());
    }

    @Test
    void cutClassifierThroughFlattenDropoutDenseIntoMlp() throws Exception {
        Path h5 = dir.resolve("h.h5");
        Path zip = dir.resolve("h.zip");
        for (Path out : List.of(h5, zip)) {
            Cli r = Cli.run("merge", "samples/ts_classifier.h5:until=max_pooling1d", "samples/example1_second.h5",
                    "--bridge", "flatten,dropout:0.25,dense:32", "-o", out.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
        ModelGraph hybrid = ModelFiles.read(h5);
        assertEquals("until=max_pooling1d", hybrid.provenance().path("donors").get(0).path("cut").asText());
        Layer d = hybrid.layer("bridge1_dense");
        HostArray x = randomInput(6, new long[] {32, 4}, 5);
        // The classifier's conv and pooling are the extractor's: the cut donor computes ts_extractor.
        HostArray features = predict(S.resolve("ts_extractor.h5"), x);
        HostArray expected = predict(S.resolve("example1_second.h5"), dense(reshape(features, 256), d.weights().get(0), d.weights().get(1), "relu"));
        assertClose(expected, predict(hybrid, x), TOL);
        var graph = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        HostArray fromZip = EngineModel.ofNative(graph).withInputShapes(List.of(Shape.batchOf(32, 4))).predict(x)[0];
        assertClose(expected, fromZip, TOL);
    }

    @Test
    void globalAveragePoolingThenDense() throws Exception {
        Path out = dir.resolve("gap.h5");
        Cli r = Cli.run("merge", "samples/ts_extractor.h5", "samples/example1_second.h5", "--bridge", "gap,dense:32:tanh", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph hybrid = ModelFiles.read(out);
        assertEquals("GlobalAveragePooling1D", hybrid.layer("bridge1_gap").className());
        Layer d = hybrid.layer("bridge1_dense");
        HostArray x = randomInput(5, new long[] {32, 4}, 9);
        HostArray pooled = meanOverSteps(predict(S.resolve("ts_extractor.h5"), x));
        HostArray expected = predict(S.resolve("example1_second.h5"), dense(pooled, d.weights().get(0), d.weights().get(1), "tanh"));
        assertClose(expected, predict(hybrid, x), TOL);
    }

    @Test
    void perJunctionNoneAndDenseInAThreeDonorChain() throws Exception {
        Path a = S.resolve("example1_first.h5"), b = S.resolve("example1_second.h5"), c = S.resolve("example3_second.h5");
        Path out = dir.resolve("chain.h5");
        Cli r = Cli.run("merge", a.toString(), b + ":until=dense", c.toString(), "--bridge", "none", "--bridge", "dense:32", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        ModelGraph hybrid = ModelFiles.read(out);
        ModelGraph second = ModelFiles.read(b);
        Layer bd = second.layer("dense");
        Layer bridge = hybrid.layer("bridge2_dense");
        HostArray x = randomInput(7, new long[] {10}, 3);
        HostArray cutB = dense(predict(a, x), bd.weights().get(0), bd.weights().get(1), "relu");
        HostArray expected = predict(c, dense(cutB, bridge.weights().get(0), bridge.weights().get(1), "relu"));
        assertClose(expected, predict(hybrid, x), TOL);
        // "none" where the shapes do not join is refused with the bridge that would.
        Cli bad = Cli.run("merge", a.toString(), b + ":until=dense", c.toString(), "--bridge", "none", "--bridge", "none", "--dry-run");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("expects (None, 32); add --bridge dense:32"), bad.err());
    }

    @Test
    void badInlineCutsAreRefused() {
        Cli r = Cli.run("merge", "samples/ts_classifier.h5:until=pool", "samples/example1_second.h5", "--dry-run");
        assertEquals(1, r.exitCode());
        assertEquals("graft: samples/ts_classifier.h5: until=pool: the model has no layer 'pool'; nearest: max_pooling1d, input, conv1d\n", r.err());
        r = Cli.run("merge", "samples/ts_classifier.h5:upto=pool", "samples/example1_second.h5", "--dry-run");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("graft: bad donor 'samples/ts_classifier.h5:upto=pool': 'upto' is not a cut;"), r.err());
    }

    private static HostArray meanOverSteps(HostArray a) {
        long[] s = a.shape();
        int n = (int) s[0], t = (int) s[1], c = (int) s[2];
        float[] v = a.toFloatArray();
        float[] out = new float[n * c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double sum = 0;
                for (int j = 0; j < t; j++) sum += v[(i * t + j) * c + k];
                out[i * c + k] = (float) (sum / t);
            }
        }
        return HostArray.ofFloats(new long[] {n, c}, out);
    }
}
