package dev.graft.engine.claims;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import dev.graft.engine.Computability;
import dev.graft.format.ModelFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every argument honoured or refused: every layer config of every Keras model in every fixture folder, for each
 * class graft computes, holds only keys some mapping claims ({@link LayerClaims}). A key nobody claims would be
 * refused at run time; here it fails, naming the class and key, so that a new spelling is claimed (or knowingly
 * refused) rather than met by users.
 */
class ArgumentCoverageTest {
    private static final List<String> FOLDERS = List.of("keras", "wild", "keras3-seed", "keras3-zoo");

    @Test
    void everyKeyOfEveryComputedLayerIsClaimed() {
        Map<String, String> unclaimed = new TreeMap<>();
        int layers = 0;
        int files = 0;
        for (String folder : FOLDERS) {
            for (Path file : Fixtures.files(folder, p -> Fixtures.isModel(p) && p.toString().matches(".*\\.(h5|hdf5|keras)$"))) {
                ModelGraph model;
                try {
                    model = ModelFiles.read(file);
                } catch (RuntimeException e) {
                    continue; // files graft refuses to read are another test's business
                }
                files++;
                layers += walk(model, folder + "/" + file.getFileName(), unclaimed);
            }
        }
        System.out.println("argument coverage: " + layers + " computed layer configs in " + files + " files, all keys claimed: " + unclaimed.isEmpty());
        assertTrue(files > 100, "too few fixture files read: " + files);
        StringBuilder sb = new StringBuilder();
        unclaimed.forEach((k, v) -> sb.append(k).append(" (e.g. ").append(v).append(")\n"));
        assertTrue(unclaimed.isEmpty(), unclaimed.size() + " unclaimed keys:\n" + sb);
    }

    private static int walk(ModelGraph model, String file, Map<String, String> unclaimed) {
        int n = 0;
        for (Layer layer : model.layers()) {
            if (layer.nested() != null) {
                n += walk(layer.nested(), file, unclaimed);
                continue;
            }
            if (!Computability.computableClasses().contains(layer.className())) continue;
            n++;
            if (!LayerClaims.isRegistered(layer.className())) {
                unclaimed.putIfAbsent(layer.className() + ": claims nothing", file);
                continue;
            }
            for (String key : LayerClaims.unclaimedKeys(layer.className(), layer.config())) {
                unclaimed.putIfAbsent(layer.className() + "." + key, file);
            }
        }
        return n;
    }
}
