package dev.graft.samples;

import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.ModelGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Regenerates {@code samples/} reproducibly (fixed seeds): {@code bin/make-samples [DIR]}.
 * The same code gives the same weights, so the samples only change when this code does.
 */
public final class MakeSamples {
    private MakeSamples() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "samples");
        Files.createDirectories(dir);
        Map<String, ModelGraph> models = SampleModels.all();
        for (Map.Entry<String, ModelGraph> e : models.entrySet()) {
            Path out = dir.resolve(e.getKey() + ".h5");
            KerasH5Writer.write(e.getValue(), out);
            System.err.println("wrote " + out);
        }
        Path zip = dir.resolve("dl4j_classifier.zip");
        Dl4jSample.write(zip);
        System.err.println("wrote " + zip);
        SampleData.example3(models, dir, 4000);
        System.err.println("wrote " + dir.resolve("example3_train.csv"));
        SampleData.Labelled ts = SampleData.timeSeries(models, dir, 1000);
        System.err.println("wrote " + dir.resolve("ts_train_x.npy") + ", " + dir.resolve("ts_train_y.npy"));
        SampleData.twoHeads(dir, 600);
        System.err.println("wrote " + dir.resolve("two_heads_*.npy"));
        Path classifier = dir.resolve("ts_classifier.h5");
        KerasH5Writer.write(TsClassifier.train(models.get("ts_extractor"), ts.x(), ts.y()), classifier);
        System.err.println("wrote " + classifier);
    }
}
