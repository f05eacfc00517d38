import dev.graft.data.DataFiles;
import dev.graft.engine.Computability;
import dev.graft.engine.EngineModel;
import dev.graft.format.ModelFiles;
import dev.graft.format.hdf5.H5File;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.format.keras.KerasZipWriter;
import dev.graft.inspect.SemanticsWarnings;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import dev.graft.surgery.Flattener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The Java half of bench/keras-load.sh: for every Keras fixture model graft computes, writes what
 * graft would give a Keras user (the model converted to .keras and to .h5), inputs (Keras's stored
 * ones where the fixture has them) and graft's own predictions, and a manifest line
 * {@code id <TAB> source <TAB> inputs <TAB> keras2_hard_sigmoid(0|1)}.
 * Usage: java KerasLoadFiles FIXTURES OUTDIR [ONLY]
 */
public class KerasLoadFiles {
    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String only = args.length > 2 ? args[2] : "";
        Files.createDirectories(out);
        List<String> manifest = new ArrayList<>();
        int id = 0;
        for (String folder : List.of("keras", "wild", "keras3-seed", "keras3-zoo")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(fixtures.resolve(folder))) {
                files = s.filter(Files::isRegularFile).filter(KerasLoadFiles::isModel).sorted().toList();
            }
            for (Path f : files) {
                if (!f.toString().contains(only)) continue;
                String n = f.getFileName().toString();
                if (folder.equals("keras3-zoo") && n.endsWith(".h5") && Files.exists(f.resolveSibling(n.replace(".h5", ".keras")))) continue;
                String line = one(f, out, "m" + id);
                if (line != null) {
                    manifest.add("m" + id + "\t" + fixtures.relativize(f) + "\t" + line);
                    id++;
                }
            }
        }
        for (Path extra : hybrids(out)) {
            String line = one(extra, out, "m" + id);
            if (line != null) {
                manifest.add("m" + id + "\t" + extra.getFileName() + "\t" + line);
                id++;
            }
        }
        Files.write(out.resolve("manifest.tsv"), manifest);
        System.out.println(manifest.size() + " models written to " + out);
    }

    private static boolean isModel(Path p) {
        String n = p.getFileName().toString();
        return (n.endsWith(".h5") || n.endsWith(".keras") || n.endsWith(".hdf5")) && !n.endsWith("_inputs_and_outputs.h5");
    }

    /** Hybrids graft merged (written by the shell script before this runs), if any. */
    private static List<Path> hybrids(Path out) throws Exception {
        Path dir = out.resolve("hybrids");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Converts and predicts one model; null when graft does not compute it (or refuses a Keras file for it). */
    private static String one(Path f, Path out, String id) {
        try {
            ModelGraph m = ModelFiles.read(f);
            ModelGraph flat = Flattener.flatten(m);
            for (Layer l : flat.layers()) if (Computability.whyNot(l) != null) return null;
            HostArray[] x = inputs(f, flat);
            HostArray[] y = EngineModel.ofKeras(m).predict(x);
            try {
                // A Keras 1 model is upgraded to Keras 2's spelling by both writers.
                KerasZipWriter.write(m, out.resolve(id + ".keras"));
                KerasH5Writer.write(m, out.resolve(id + ".h5"));
            } catch (dev.graft.GraftException e) {
                System.out.println("WRITE-REFUSED\t" + f.getFileName() + "\t" + e.getMessage());
                return null;
            }
            for (int i = 0; i < x.length; i++) DataFiles.write(out.resolve(id + "_x" + i + ".npy"), x[i]);
            DataFiles.write(out.resolve(id + "_y.npy"), y[0]);
            return x.length + "\t" + (SemanticsWarnings.of(m).isEmpty() ? 0 : 1);
        } catch (RuntimeException | LinkageError | java.io.IOException e) {
            return null;
        }
    }

    private static HostArray[] inputs(Path f, ModelGraph flat) {
        String n = f.getFileName().toString();
        String stem = n.endsWith("_model.h5") ? n.substring(0, n.length() - 9) : n.substring(0, n.lastIndexOf('.'));
        Path io = f.resolveSibling(stem + "_inputs_and_outputs.h5");
        if (Files.exists(io)) {
            try (H5File h = H5File.openReadOnly(io)) {
                var names = dev.graft.format.Json.parse(h.stringAttribute("inputs"));
                List<HostArray> xs = new ArrayList<>();
                (names.isArray() ? names : names.path("inputs")).forEach(nm -> xs.add(h.readDataset("inputs/" + nm.asText())));
                if (xs.size() == flat.inputs().size()) return xs.toArray(HostArray[]::new);
            } catch (RuntimeException ignored) {
                // fall back to random inputs
            }
        }
        GraphShapes shapes = GraphShapes.infer(flat);
        SplittableRandom r = new SplittableRandom(42);
        List<HostArray> xs = new ArrayList<>();
        for (TensorRef in : flat.inputs()) {
            Shape s = shapes.shape(in);
            long[] dims = new long[s.rank()];
            dims[0] = 3;
            for (int i = 1; i < dims.length; i++) dims[i] = s.dim(i) == null ? 8 : s.dim(i);
            long vocab = vocabulary(flat, in.layer());
            float[] v = new float[(int) HostArray.size(dims)];
            for (int i = 0; i < v.length; i++) v[i] = vocab > 0 ? r.nextInt((int) Math.min(vocab, 50)) : (float) (r.nextDouble() * 2 - 1);
            xs.add(HostArray.ofFloats(dims, v));
        }
        return xs.toArray(HostArray[]::new);
    }

    private static long vocabulary(ModelGraph flat, String inputLayer) {
        for (Layer l : flat.layers()) {
            if (!"Embedding".equals(l.className())) continue;
            for (var call : l.calls()) for (TensorRef t : call.inputs()) if (t.layer().equals(inputLayer)) return l.config().path("input_dim").asLong();
        }
        return -1;
    }
}
