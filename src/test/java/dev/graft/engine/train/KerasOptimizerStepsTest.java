package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.cli.Cli;
import dev.graft.data.TrainingData;
import dev.graft.engine.EngineModel;
import dev.graft.engine.Tensors;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Every optimizer {@code train} offers takes the steps Keras 3 takes. The samples' example-3 hybrid
 * (frozen donors, dense:32 bridge), the first 64 rows of its data, full-batch steps: graft's training
 * is compared with {@link KerasFormulas} (Keras's update rules written out again in double
 * precision) fed the gradient of the same weights at every step.
 */
class KerasOptimizerStepsTest {
    private static final String BRIDGE = "bridge1_dense";

    @TempDir
    static Path dir;
    static ModelGraph hybrid;
    static TrainingData data;
    static ComputationGraph gradients;
    static INDArray x;
    static INDArray y;
    /** The bridge's kernel and bias as merge wrote them. */
    static List<double[]> initial;

    @BeforeAll
    static void setUp() throws Exception {
        Path h = dir.resolve("hybrid.h5");
        Cli r = Cli.run("merge", "samples/example3_first.h5", "samples/example3_second.h5", "--bridge", "dense:32", "--freeze", "donors",
                "-o", h.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path csv = dir.resolve("first64.csv");
        Files.write(csv, Files.readAllLines(Path.of("samples/example3_train.csv")).subList(0, 65));
        hybrid = ModelFiles.read(h);
        data = TrainingData.fromCsv(csv, "label");
        Set<String> trained = TrainableLayers.resolve(hybrid, null);
        assertEquals(Set.of(BRIDGE), trained);
        gradients = TrainableGraph.prepare(EngineModel.ofKerasForTraining(hybrid).graph(), trained, new Sgd(0.0),
                LossKind.BINARY_CROSSENTROPY, 42);
        initial = bridgeWeights(gradients);
        x = Tensors.toNd4j(data.x(), DataType.FLOAT);
        y = Tensors.toNd4j(data.y(), DataType.FLOAT).reshape(64, 1);
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", Map.of()),
                Arguments.of("sgd", Map.of("momentum", 0.9)),
                Arguments.of("sgd", Map.of("momentum", 0.9, "nesterov", 1.0)),
                Arguments.of("sgd", Map.of("clipvalue", 0.002, "weight_decay", 0.1)),
                Arguments.of("adam", Map.of()),
                Arguments.of("adam", Map.of("amsgrad", 1.0, "beta_1", 0.8, "clipnorm", 0.02)),
                Arguments.of("adamw", Map.of()),
                Arguments.of("rmsprop", Map.of()),
                Arguments.of("rmsprop", Map.of("momentum", 0.5, "centered", 1.0, "global_clipnorm", 0.03)),
                Arguments.of("adagrad", Map.of()),
                Arguments.of("adagrad", Map.of("initial_accumulator_value", 0.0, "epsilon", 1e-4)),
                Arguments.of("adadelta", Map.of()),
                Arguments.of("adadelta", Map.of("rho", 0.5)),
                Arguments.of("adamax", Map.of()),
                Arguments.of("nadam", Map.of()),
                Arguments.of("nadam", Map.of("beta_2", 0.9)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void oneAndThreeStepsAreKeras(String optimizer, Map<String, Double> extra) {
        Map<String, Double> args = new LinkedHashMap<>(extra);
        args.putIfAbsent("learning_rate", 0.01);
        for (int steps : new int[] {1, 3}) {
            List<double[]> initial = KerasOptimizerStepsTest.initial;
            List<double[]> expected = keras(optimizer, args, initial, steps);
            Map<String, String> cli = new LinkedHashMap<>();
            args.forEach((k, v) -> cli.put(k, isFlag(k) ? Boolean.toString(v != 0) : Double.toString(v)));
            // Keras's steps below are taken on the engine's gradients: the engine's step takes the same ones, so what is
            // compared is the optimizer alone (Adam's first step divides a gradient near 0 by its own size, which turns the
            // float rounding of another summation order into 2e-5 of a step). The plain-Java step of Dense stacks is
            // compared with the engine's in HeapChainTrainerTest, its optimizers with Keras's in KerasReferenceOptimizersTest.
            System.setProperty(HeapChainTrainer.OFF, "true");
            TrainJob.Outcome out;
            try {
                out = TrainJob.run(hybrid, data, new TrainOptions(steps, 64, optimizer, null, cli, null, List.of(), 42, null, null),
                        TrainingListener.SILENT);
            } finally {
                System.clearProperty(HeapChainTrainer.OFF);
            }
            List<double[]> got = bridgeWeights(out.result().graph());
            for (int k = 0; k < 2; k++) {
                double scale = maxAbs(expected.get(k));
                double err = maxAbsDiff(got.get(k), expected.get(k));
                assertTrue(err <= 1e-6 * scale, optimizer + " " + extra + ", " + steps + " steps, " + (k == 0 ? "kernel" : "bias")
                        + ": max |graft - keras| " + err + " for weights up to " + scale);
                // The weights agree far below the size of a step, so the steps themselves are Keras's.
                double step = maxAbsDiff(expected.get(k), initial.get(k));
                double stepErr = maxAbsDiff(diff(got.get(k), initial.get(k)), diff(expected.get(k), initial.get(k)));
                assertTrue(step > 0 && stepErr <= 1e-3 * step + 2e-7 * scale, optimizer + " " + extra + ", " + steps + " steps: the step differs by "
                        + stepErr + " of " + step);
            }
        }
    }

    private static boolean isFlag(String k) {
        return k.equals("nesterov") || k.equals("amsgrad") || k.equals("centered");
    }

    /** Keras's steps from the hybrid's weights, each on the gradient of the weights it has reached. */
    private static List<double[]> keras(String optimizer, Map<String, Double> args, List<double[]> initial, int steps) {
        KerasFormulas keras = new KerasFormulas(optimizer, args);
        List<double[]> w = new ArrayList<>();
        for (double[] v : initial) w.add(v.clone());
        // graft shuffles the rows every epoch, as Keras does: the same order here sums the gradient in the same order
        java.util.SplittableRandom shuffle = new java.util.SplittableRandom(42);
        for (int s = 0; s < steps; s++) keras.step(w, gradientAt(w, Trainer.permutation(64, shuffle)));
        return w;
    }

    /** The mean gradient of binary cross-entropy over the 64 rows, for the bridge at the given weights. */
    private static List<double[]> gradientAt(List<double[]> w, int[] order) {
        var layer = gradients.getLayer(BRIDGE);
        INDArray kernel = layer.getParam("W");
        INDArray bias = layer.getParam("b");
        kernel.assign(Nd4j.create(toFloat(w.get(0)), kernel.shape(), 'c').castTo(kernel.dataType()));
        bias.assign(Nd4j.create(toFloat(w.get(1)), bias.shape(), 'c').castTo(bias.dataType()));
        gradients.setInputs(rows(x, order));
        gradients.setLabels(rows(y, order));
        gradients.computeGradientAndScore();
        var g = gradients.gradient();
        return List.of(scaled(g.getGradientFor(BRIDGE + "_W")), scaled(g.getGradientFor(BRIDGE + "_b")));
    }

    private static INDArray rows(INDArray a, int[] order) {
        return a.getRows(order).dup('c');
    }

    private static double[] scaled(INDArray sum) {
        double[] d = sum.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        for (int i = 0; i < d.length; i++) d[i] /= 64; // the engine's gradients are sums over the batch
        return d;
    }

    private static List<double[]> bridgeWeights(ComputationGraph g) {
        var layer = g.getLayer(BRIDGE);
        return List.of(layer.getParam("W").dup('c').castTo(DataType.DOUBLE).data().asDouble(),
                layer.getParam("b").dup('c').castTo(DataType.DOUBLE).data().asDouble());
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static double[] diff(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
