package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.Flattener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-back round trip over every fixture model the engine computes, layer class by layer
 * class: what writes back exactly, what is refused and why. Slow (minutes), so it runs only when
 * asked: {@code -Dgraft.writebackSweep=true}; it writes its table to {@code target/writeback-sweep.tsv}.
 */
class KerasWritebackSweepTest {
    @TempDir
    Path tmp;

    @Test
    void everyComputableFixture() throws Exception {
        assumeTrue(Boolean.getBoolean("graft.writebackSweep"), "set -Dgraft.writebackSweep=true to run the sweep");
        List<Path> models = new ArrayList<>();
        models.addAll(Fixtures.files("keras", p -> Fixtures.isModel(p) && p.toString().endsWith(".h5")));
        models.addAll(Fixtures.files("wild", Fixtures::isModel));
        String only = System.getProperty("graft.writebackSweep.only", "");
        models.removeIf(p -> !p.toString().contains(only));
        Map<String, int[]> byClass = new TreeMap<>(); // class -> {written back, refused}
        List<String> rows = new ArrayList<>();
        int failures = 0;
        for (Path file : models) {
            ModelGraph model;
            try {
                model = ModelFiles.read(file);
                if (model.parameterCount() > 3_000_000) continue;
                ComputationGraph g = KerasEngine.build(model);
                g.output(false, WritebackChecks.randomInputs(model, 3, 42).toArray(new INDArray[0]));
                g.close();
            } catch (RuntimeException | LinkageError e) {
                continue; // not computable (here): nothing to write back
            }
            for (Layer layer : Flattener.flatten(model).layers()) {
                if (layer.weights().isEmpty()) continue;
                int[] counts = byClass.computeIfAbsent(layer.className(), k -> new int[2]);
                String outcome;
                try {
                    long t0 = System.nanoTime();
                    WritebackChecks.roundTrip(model, Set.of(layer.name()), tmp, null);
                    counts[0]++;
                    outcome = "ok\t" + (System.nanoTime() - t0) / 1_000_000 + " ms";
                } catch (EngineException e) {
                    counts[1]++;
                    outcome = "refused\t" + e.getMessage();
                } catch (Throwable e) {
                    failures++;
                    outcome = "FAILED\t" + e;
                    e.printStackTrace();
                }
                rows.add(Fixtures.root().relativize(file) + "\t" + layer.name() + "\t" + layer.className() + "\t" + outcome);
            }
        }
        StringBuilder sb = new StringBuilder();
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append("\nclass\twritten back\trefused\n");
        byClass.forEach((c, n) -> sb.append(c).append('\t').append(n[0]).append('\t').append(n[1]).append('\n'));
        Files.writeString(Path.of("target/writeback-sweep.tsv"), sb.toString());
        assertTrue(failures == 0, failures + " round trips failed; see target/writeback-sweep.tsv");
    }
}
