package dev.graft.format.dl4j;

import dev.graft.format.ModelFileException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.nio.file.Path;

/**
 * Restores the network a ModelSerializer zip holds, as {@code ModelSerializer.restore*} does
 * (configuration from JSON, the flat parameter vector from {@code coefficients.bin}, then
 * {@code init(params, false)}), but attributing every failure to the part of the file at fault.
 * The updater state is not loaded.
 */
final class Dl4jRestorer {
    private Dl4jRestorer() {
    }

    static RestoredNetwork restore(Path file) {
        try (Dl4jZip zip = Dl4jZip.open(file)) {
            if (zip.kind() == NetworkKind.MULTI_LAYER_NETWORK) {
                MultiLayerConfiguration conf = Dl4jConfigs.multiLayer(zip);
                if (conf.getConfs().isEmpty()) throw new ModelFileException(file, Dl4jZip.CONFIGURATION + " describes a MultiLayerNetwork without layers");
                for (int i = 0; i < conf.getConfs().size(); i++) requireActivation(zip, conf.getConf(i).getLayer(), "layer " + i);
                INDArray params = parameters(zip, expectedParameters(zip, conf));
                MultiLayerNetwork net = build(zip, () -> {
                    MultiLayerNetwork n = new MultiLayerNetwork(conf);
                    if (params == null) n.init(); else n.init(params, false);
                    return n;
                });
                return new RestoredNetwork(file, zip.kind(), net, null, zip.config(), zip.recordedTensors(), zip.provenance());
            }
            ComputationGraphConfiguration conf = Dl4jConfigs.graph(zip);
            for (var v : conf.getVertices().entrySet()) {
                if (v.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv && lv.getLayerConf() != null) {
                    requireActivation(zip, lv.getLayerConf().getLayer(), "layer '" + v.getKey() + "'");
                }
            }
            INDArray params = parameters(zip, expectedParameters(zip, conf));
            ComputationGraph net = build(zip, () -> {
                ComputationGraph g = new ComputationGraph(conf);
                if (params == null) g.init(); else g.init(params, false);
                return g;
            });
            return new RestoredNetwork(file, zip.kind(), null, net, zip.config(), zip.recordedTensors(), zip.provenance());
        }
    }

    /**
     * DL4J reads a layer whose activation is missing (null in the JSON) without complaint and fails
     * with a null pointer at the first forward pass: refused here, naming the layer.
     */
    private static void requireActivation(Dl4jZip zip, org.deeplearning4j.nn.conf.layers.Layer layer, String which) {
        if (layer instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b && b.getActivationFn() == null) {
            throw new ModelFileException(zip.file(), Dl4jZip.CONFIGURATION + ": " + which + (layer.getLayerName() == null ? "" : " ('" + layer.getLayerName() + "')")
                    + " has no activation function");
        }
    }

    /** The parameter count the configuration implies, by DL4J's own parameter initializers. */
    private static long expectedParameters(Dl4jZip zip, MultiLayerConfiguration conf) {
        return countSafely(zip, () -> {
            long n = 0;
            for (NeuralNetConfiguration c : conf.getConfs()) n += c.getLayer().initializer().numParams(c);
            return n;
        });
    }

    private static long expectedParameters(Dl4jZip zip, ComputationGraphConfiguration conf) {
        return countSafely(zip, () -> {
            long n = 0;
            for (GraphVertex v : conf.getVertices().values()) n += v.numParams(false);
            return n;
        });
    }

    private static long countSafely(Dl4jZip zip, java.util.function.LongSupplier count) {
        try {
            return count.getAsLong();
        } catch (RuntimeException e) {
            throw new ModelFileException(zip.file(), Dl4jProblems.dl4j() + " cannot build this network from " + Dl4jZip.CONFIGURATION
                    + ": " + Dl4jProblems.rootCause(e), e);
        }
    }

    /** The flat parameter vector, or null for a network without parameters. */
    private static INDArray parameters(Dl4jZip zip, long expected) {
        if (!zip.hasCoefficients()) {
            if (expected == 0) return null; // ModelSerializer marks such zips with noParams.marker
            throw new ModelFileException(zip.file(), "has no " + Dl4jZip.COEFFICIENTS + ": the parameters of the network (" + expected
                    + " values) are missing");
        }
        long declared;
        try (InputStream in = zip.openCoefficients()) {
            declared = CoefficientsHeader.declaredValues(in);
        } catch (IOException e) {
            declared = -1; // the header was checked when the zip was opened; ND4J reports the rest
        }
        // ND4J allocates what the header announces before reading a value: compare with the configuration first.
        if (declared >= 0 && declared != expected) {
            throw new ModelFileException(zip.file(), Dl4jZip.COEFFICIENTS + " holds " + declared + " parameters but "
                    + Dl4jZip.CONFIGURATION + " needs " + expected);
        }
        INDArray params;
        try (InputStream in = zip.openCoefficients()) {
            params = Nd4j.read(new DataInputStream(in));
        } catch (ZipException e) {
            throw Dl4jZip.unpackError(zip.file(), Dl4jZip.COEFFICIENTS, e);
        } catch (IOException | RuntimeException e) {
            ZipException z = Dl4jProblems.causeOf(e, ZipException.class);
            if (z != null) throw Dl4jZip.unpackError(zip.file(), Dl4jZip.COEFFICIENTS, z);
            String why = Dl4jProblems.causeOf(e, java.io.EOFException.class) != null ? "its data ends early" : Dl4jProblems.rootCause(e);
            throw new ModelFileException(zip.file(), Dl4jZip.COEFFICIENTS + " is corrupt or truncated (" + why + ")", e);
        }
        if (params.length() != params.data().length()) {
            throw new ModelFileException(zip.file(), Dl4jZip.COEFFICIENTS + " is corrupt: its shape " + java.util.Arrays.toString(params.shape())
                    + " does not fit the " + params.data().length() + " values it holds");
        }
        if (params.length() != expected) {
            throw new ModelFileException(zip.file(), Dl4jZip.COEFFICIENTS + " holds " + params.length() + " parameters but "
                    + Dl4jZip.CONFIGURATION + " needs " + expected);
        }
        // The stored shape information (strides, element-wise stride, order) is not handed on: native
        // code follows a damaged stride out of the buffer (a SIGSEGV in ND4J's gemm, found by fuzzing).
        // DL4J's parameters are always one contiguous row, so that row is rebuilt from the values alone.
        return Nd4j.create(params.data(), new long[] {1, params.data().length()});
    }

    private static <T> T build(Dl4jZip zip, java.util.function.Supplier<T> builder) {
        try {
            return builder.get();
        } catch (RuntimeException e) {
            throw new ModelFileException(zip.file(), Dl4jProblems.dl4j() + " cannot build this network from " + Dl4jZip.CONFIGURATION
                    + ": " + Dl4jProblems.rootCause(e), e);
        }
    }
}
