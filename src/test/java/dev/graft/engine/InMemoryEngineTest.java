package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graft.Fixtures;
import dev.graft.GraftException;
import dev.graft.format.ModelFiles;
import dev.graft.format.hdf5.H5Lock;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.Flattener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelUtils;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The engine network built in memory is the one DL4J's importer built from the Keras 2 file graft
 * used to write for it: the same configuration, every parameter bit for bit. Checked against that
 * file path, still reachable through DL4J's public importer, on the fixture folders' Keras files
 * (by default the wild folder and every eighth hand-made file; every Keras file of keras, wild,
 * keras3-seed and keras3-zoo with {@code bin/test -Dtest=InMemoryEngineTest -Dgraft.inMemoryAll=true}).
 */
class InMemoryEngineTest {
    @TempDir
    static Path tmp;

    static Stream<Path> models() {
        boolean all = Boolean.getBoolean("graft.inMemoryAll");
        List<Path> out = new ArrayList<>();
        for (String folder : all ? List.of("keras", "wild", "keras3-seed", "keras3-zoo") : List.of("keras", "wild")) {
            List<Path> files = Fixtures.files(folder, p -> Fixtures.isModel(p) && (p.toString().endsWith(".h5") || p.toString().endsWith(".keras"))
                    && !p.toString().endsWith("_inputs_and_outputs.h5"));
            // By default every real user's file and every eighth hand-made one: the suite stays fast.
            for (int i = 0; i < files.size(); i++) if (all || folder.equals("wild") || i % 8 == 0) out.add(files.get(i));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void sameNetworkAsThroughAFile(Path file) throws Exception {
        ModelGraph model;
        try {
            model = ModelFiles.read(file);
        } catch (GraftException e) {
            return; // unreadable files are other tests' business
        }
        for (boolean training : new boolean[] {false, true}) {
            String inMemory;
            ComputationGraph built;
            try {
                built = training ? KerasEngine.buildForTraining(model) : KerasEngine.build(model);
                inMemory = null;
            } catch (GraftException e) {
                built = null;
                inMemory = e.getMessage();
            }
            ComputationGraph viaFile;
            String fileFailure = null;
            try {
                viaFile = throughFile(model, training);
            } catch (Exception e) {
                viaFile = null;
                fileFailure = e.toString();
            }
            if (built == null || viaFile == null) {
                assertEquals(viaFile == null, built == null, "built in memory: " + inMemory + "; through a file: " + fileFailure);
                continue;
            }
            assertEquals(unseeded(viaFile), unseeded(built), "configuration");
            Layer[] want = viaFile.getLayers();
            Layer[] got = built.getLayers();
            assertEquals(want.length, got.length, "layers");
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i].paramTable().keySet(), got[i].paramTable().keySet(), "parameters of " + want[i].conf().getLayer().getLayerName());
                for (String p : want[i].paramTable().keySet()) {
                    INDArray a = want[i].paramTable().get(p);
                    INDArray b = got[i].paramTable().get(p);
                    String where = want[i].conf().getLayer().getLayerName() + "/" + p;
                    assertEquals(a.dataType(), b.dataType(), where);
                    assertArrayEquals(a.shape(), b.shape(), where);
                    assertArrayEquals(bits(a), bits(b), where);
                }
            }
        }
    }

    /** The configuration without its seed, which DL4J's importer takes from the clock. */
    private static String unseeded(ComputationGraph graph) {
        return graph.getConfiguration().toJson().replaceAll("\"seed\" : -?\\d+", "\"seed\" : 0");
    }

    private static int[] bits(INDArray a) {
        float[] f = a.dup('c').castTo(DataType.FLOAT).data().asFloat();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
        return out;
    }

    /** The path the engine took before: the normalised graph written as a Keras 2 file and imported from it by DL4J's reader. */
    private static ComputationGraph throughFile(ModelGraph model, boolean training) throws Exception {
        ModelGraph engineModel = EngineNormalizer.normalize(Flattener.flatten(model), training);
        boolean keras1 = model.source() != null && model.source().kerasMajor() == 1;
        Path file = Files.createTempFile(tmp, "engine", ".h5");
        Files.delete(file);
        KerasH5Writer.write(engineModel, file, keras1 ? model.source().producerVersion() : KerasH5Writer.KERAS_VERSION);
        try {
            ComputationGraph graph = H5Lock.run(() -> {
                // KerasModelImport.importKerasModelAndWeights, with the engine's copies before shared activation inputs.
                // The builder leaves its HDF5 file open when the import fails; closed here, not by the garbage collector.
                KerasModelBuilder builder = null;
                try {
                    builder = new KerasModel().modelBuilder().modelHdf5Filename(file.toString()).enforceTrainingConfig(false);
                    KerasModel imported = builder.buildModel();
                    ComputationGraphConfiguration conf = imported.getComputationGraphConfiguration();
                    SharedInputCopies.insert(conf);
                    if (training) {
                        // what the engine's training build adds to the import (merges along Keras's axis -1 counted from the
                        // front, no sequence-to-rows preprocessor before a layer reading rows)
                        ModelGraph flat = SharedLayerCalls.expand(Flattener.flatten(model));
                        MergeAxes.countedFromTheFront(conf, flat);
                        RankTwoInputs.apply(conf, flat);
                        TrainingDropout.apply(conf, engineModel, imported.getOutputTypes()); // Keras's Dropout rates, which the import does not read
                    }
                    ComputationGraph g = new ComputationGraph(conf);
                    g.init();
                    KerasModelUtils.copyWeightsToModel(g, imported.getLayers());
                    return g;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    if (builder != null) builder.close();
                }
            });
            if (!keras1) ChannelsLastUpsampling.apply(graph);
            return graph;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
