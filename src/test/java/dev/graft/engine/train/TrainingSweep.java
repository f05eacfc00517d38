package dev.graft.engine.train;

import dev.graft.GraftException;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.engine.EngineModels;
import dev.graft.format.ModelFiles;
import dev.graft.model.HostArray;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.testutil.GeneratedInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One training step on a model file that {@code predict} computes, classified: {@code trained} (the first batch's
 * loss is finite and so is everything the trained model predicts; whether a weight moved is not asked: seven tf.keras
 * CNNs with categorical cross-entropy on outputs Keras clips to 1e-7 or 1 - 1e-7, and DL4J's regression MLPs and CNN
 * whose outputs sit at 0 or 1, have no gradient, and their step moves nothing), {@code refused} (one line that names the layer or the reason),
 * {@code no weights}, or {@code failed} (an exception other than a refusal, a refusal of several lines, NaN).
 * A model {@code predict} does not compute on random inputs of its declared shapes is {@code not computed} and
 * does not count. Data: two rows of random inputs (open dimensions 12; token ids 0 or 1 where an Embedding reads
 * the input), labels of the model's output shapes fitting its loss (class indices, one-hot rows, 0/1 or any real),
 * the model's stored loss or {@code mse}, SGD at 0.01, batch 2, one epoch.
 * <p>
 * Used by {@code TrainingSweepTest} (a representative subset) and by {@code bench/train-sweep.sh} (every fixture):
 * {@code java ... dev.graft.engine.train.TrainingSweep FIXTURES SAMPLES [FOLDER...]}.
 */
public final class TrainingSweep {
    /** Outcome of one file: its kind and a one-line detail (the refusal or failure). */
    public record Result(String kind, String detail) {
        public static final String TRAINED = "trained";
        public static final String REFUSED = "refused";
        public static final String FAILED = "failed";
        public static final String NO_WEIGHTS = "no weights";
        public static final String NOT_COMPUTED = "not computed";

        @Override
        public String toString() {
            return detail == null ? kind : kind + ": " + detail;
        }
    }

    /** Open dimensions of an input (steps, image sides) take this size. */
    private static final long OPEN_SIZE = 12;
    private static final int ROWS = 2;
    /**
     * Per-sample input shapes (Keras layout) of fixture zips that record none: DL4J's regression CNNs of 0.5-0.8 take 28 x 28
     * images of 3 channels (a 2 x 2 convolution and a 2 x 2 pooling of stride 1 give the 26 x 26 x 3 their output layer
     * reads; 0.5's and 0.8's are refused whatever the input, {@code Dl4jFlattens}). Open dimensions of other inputs take
     * {@value #OPEN_SIZE}.
     */
    private static final Map<String, long[]> RECORDED_NOWHERE = Map.of(
            "050_ModelSerializer_Regression_CNN_1.zip", new long[] {28, 28, 3},
            "060_ModelSerializer_Regression_CNN_1.zip", new long[] {28, 28, 3},
            "080_ModelSerializer_Regression_CNN_1.zip", new long[] {28, 28, 3});

    private TrainingSweep() {
    }

    /** Model files under a folder (Keras .h5/.hdf5/.keras and DL4J .zip/.bin; not stored predictions, arrays or manifests), sorted. */
    public static List<Path> modelFiles(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).filter(TrainingSweep::isModel).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isModel(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith("_inputs_and_outputs.h5")) return false;
        if (n.contains("_Input_") || n.contains("_Output_")) return false;
        return n.matches(".*\\.(h5|hdf5|keras|zip|bin)$");
    }

    /** One training step on the file, classified. */
    public static Result run(Path file) {
        EngineModel engine;
        List<HostArray> x;
        HostArray[] predicted;
        try {
            engine = EngineModels.load(file);
            x = randomInputs(file, engine);
            if (x == null) return new Result(Result.NOT_COMPUTED, "an input without a known per-sample shape");
            predicted = engine.predict(x.toArray(HostArray[]::new));
        } catch (GraftException e) {
            return new Result(Result.NOT_COMPUTED, firstLine(e.getMessage()));
        } catch (RuntimeException | Error e) {
            return new Result(Result.NOT_COMPUTED, "predict: " + firstLine(String.valueOf(e)));
        }
        try {
            return train(file, x, predicted);
        } catch (GraftException e) {
            String line = e.getMessage();
            if (line == null) return new Result(Result.FAILED, "a refusal without a message: " + e);
            if (line.contains("nothing to train")) return new Result(Result.NO_WEIGHTS, null);
            if (line.contains("\n")) return new Result(Result.FAILED, "a refusal of several lines: " + firstLine(line));
            if (line.toLowerCase(java.util.Locale.ROOT).contains("unexpected error")) return new Result(Result.FAILED, line);
            return new Result(Result.REFUSED, line);
        } catch (RuntimeException | Error e) {
            return new Result(Result.FAILED, firstLine(String.valueOf(e)));
        }
    }

    private static Result train(Path file, List<HostArray> x, HostArray[] predicted) {
        ModelFiles.WithNetwork read = ModelFiles.readWithNetwork(file);
        ModelGraph model = read.model();
        boolean storedLoss = model.trainingConfig() != null && model.trainingConfig().hasNonNull("loss");
        String loss = storedLoss || TrainJob.isDl4j(model) ? null : "mse";
        TrainOptions options = new TrainOptions(1, ROWS, "sgd", 0.01, loss, List.of(), 7, null, "all");
        OutputLosses losses = TrainJob.losses(model, options, model.trainingConfig());
        List<HostArray> y = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        Random rnd = new Random(11);
        for (int o = 0; o < predicted.length; o++) {
            LossKind kind = losses.get(Math.min(o, losses.size() - 1)).kind();
            y.add(labels(predicted[o], kind, rnd));
            sources.add("sweep labels");
        }
        TrainingData data = new TrainingData(x, y, sources, null, null, null);
        TrainJob.Outcome outcome = TrainJob.run(model, read.network(), data, options, TrainingListener.SILENT);
        double first = outcome.result().history().get(0).train().get("loss");
        if (!Double.isFinite(first)) return new Result(Result.FAILED, "first-batch loss " + first);
        HostArray[] after = outcome.model().predict(x.toArray(HostArray[]::new));
        for (HostArray a : after) {
            for (long i = 0; i < a.size(); i++) {
                if (!Double.isFinite(a.getDouble(i))) return new Result(Result.FAILED, "the trained model predicts " + a.getDouble(i));
            }
        }
        return new Result(Result.TRAINED, "loss " + first);
    }

    /** Labels of the output's shape that the loss accepts. */
    static HostArray labels(HostArray output, LossKind kind, Random rnd) {
        long[] s = output.shape();
        long width = s.length == 1 ? 1 : s[s.length - 1];
        int n = Math.toIntExact(output.size());
        switch (kind.labels()) {
            case CLASS_INDEX: {
                long[] shape = s.clone();
                shape[shape.length - 1] = 1;
                float[] v = new float[Math.toIntExact(output.size() / width)];
                for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(Math.toIntExact(width));
                return HostArray.ofFloats(shape, v);
            }
            case DISTRIBUTION: {
                float[] v = new float[n];
                for (int r = 0; r < n / width; r++) v[Math.toIntExact(r * width + rnd.nextInt(Math.toIntExact(width)))] = 1;
                return HostArray.ofFloats(s, v);
            }
            case ZERO_ONE: {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = rnd.nextInt(2);
                return HostArray.ofFloats(s, v);
            }
            default: {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float) (output.getDouble(i) + (i % 2 == 0 ? 0.25 : -0.5));
                return HostArray.ofFloats(s, v);
            }
        }
    }

    /** Random inputs of the model's declared shapes (open dimensions {@value #OPEN_SIZE}), or null when one is not known. */
    static List<HostArray> randomInputs(Path file, EngineModel engine) {
        ModelGraph model = dev.graft.format.FormatSniffer.detect(file) == dev.graft.model.ModelFormat.DL4J_ZIP ? null : ModelFiles.read(file);
        List<Shape> declared = engine.inputShapes();
        long[] known = declared.size() == 1 ? RECORDED_NOWHERE.get(file.getFileName().toString()) : null;
        return GeneratedInputs.of(model, declared, ROWS, OPEN_SIZE, known);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    /** Every model file of the folders, each with its result, in order. */
    public static Map<String, Result> sweep(Path fixtures, List<String> folders, Path samples) {
        Map<String, Result> results = new java.util.LinkedHashMap<>();
        for (String folder : folders) {
            Path dir = folder.equals("samples") ? samples : fixtures.resolve(folder);
            for (Path f : modelFiles(dir)) {
                String name = folder + "/" + dir.relativize(f);
                long t = System.nanoTime();
                Result r = run(f);
                results.put(name, r);
                System.out.printf("%-8.1f %s: %s%n", (System.nanoTime() - t) / 1e9, name, r);
                System.out.flush();
            }
        }
        return results;
    }

    /** Counts by kind. */
    public static Map<String, Integer> counts(Map<String, Result> results) {
        Map<String, Integer> counts = new TreeMap<>();
        results.values().forEach(r -> counts.merge(r.kind(), 1, Integer::sum));
        return counts;
    }

    /** Usage: TrainingSweep FIXTURES SAMPLES [FOLDER...] (default: keras wild keras3-seed dl4j samples). */
    public static void main(String[] args) {
        Path fixtures = Path.of(args[0]);
        Path samples = Path.of(args[1]);
        List<String> folders = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("keras", "wild", "keras3-seed", "dl4j", "samples");
        Map<String, Result> results = sweep(fixtures, folders, samples);
        System.out.println("training sweep " + folders + ": " + counts(results));
        results.forEach((k, v) -> {
            if (!v.kind().equals(Result.TRAINED) && !v.kind().equals(Result.NOT_COMPUTED)) System.out.println("  " + k + ": " + v);
        });
        System.exit(0);
    }
}
