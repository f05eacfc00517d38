package dev.graft.engine.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.PReLUParamInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * graft's PReLU backward pass ({@link PReLURuntime}, {@link PReLUGradients}) gives the gradients finite differences say,
 * for alpha and for the layers before it, with and without shared axes: among them the case ND4J's {@code prelu_bp}
 * refused (an image's rows and columns sharing alpha, as in the {@code 12net} fixture), and a hand-computed one.
 */
class PReLUGradientTest {
    private DataType savedDefault;

    @AfterEach
    void restoreDefaultDataType() {
        if (savedDefault != null) Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
        savedDefault = null;
    }

    /** Only networks built for training take graft's layer: a computing build (and the zips written from it) keeps DL4J's. */
    @Test
    void onlyTrainingBuildsTakeGraftsLayer() {
        dev.graft.model.ModelGraph m = dev.graft.format.ModelFiles.read(dev.graft.Fixtures.file("keras3-zoo/prelu_conv_shared3.keras"));
        assertEquals(java.util.Set.of(PReLULayer.class), preluClasses(dev.graft.engine.KerasEngine.build(m)));
        assertEquals(java.util.Set.of(GraftPReLULayer.class), preluClasses(dev.graft.engine.KerasEngine.buildForTraining(m)));
    }

    private static java.util.Set<Class<?>> preluClasses(ComputationGraph net) {
        java.util.Set<Class<?>> classes = new java.util.HashSet<>();
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l.conf().getLayer() instanceof PReLULayer p) classes.add(p.getClass());
        }
        return classes;
    }

    @Test
    void alphaSharedOverAnImagesRowsAndColumns() {
        check(new long[] {6, 5, 3}, new long[] {1, 2});
    }

    @Test
    void alphaSharedOverOneAxis() {
        check(new long[] {4, 3}, new long[] {1});
        check(new long[] {3, 4, 2}, new long[] {3});
    }

    @Test
    void alphaPerElement() {
        check(new long[] {5}, null);
        check(new long[] {2, 3, 2}, null);
    }

    @Test
    void handComputedGradients() {
        INDArray x = Nd4j.createFromArray(new double[][] {{-2, 3}, {1, -0.5}});
        INDArray alpha = Nd4j.createFromArray(new double[] {0.25});
        INDArray g = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        // alpha shared over the one feature axis: a size-1 alpha against 2 features
        PReLUGradients.Result r = PReLUGradients.of(x, alpha, g);
        assertEquals(Nd4j.createFromArray(new double[][] {{0.25, 2}, {3, 1}}), r.input());
        // g * x where x <= 0: 1 * -2 + 4 * -0.5
        assertEquals(-4.0, r.alpha().getDouble(0), 1e-12);
        assertEquals(1, r.alpha().length());
    }

    /** A Dense output reshaped to {@code shape} per sample, into a PReLU sharing alpha along {@code sharedAxes}, flattened into an MSE output. */
    private void check(long[] shape, long[] sharedAxes) {
        if (savedDefault == null) savedDefault = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        long n = 1;
        for (long d : shape) n *= d;
        int[] reshape = new int[shape.length + 1];
        reshape[0] = -1;
        for (int d = 0; d < shape.length; d++) reshape[d + 1] = (int) shape[d];
        PReLULayer.Builder prelu = new PReLULayer.Builder().inputShape(shape);
        if (sharedAxes != null) prelu.sharedAxes(sharedAxes);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(5)
                .updater(new NoOp()).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(3).nOut(n).activation(Activation.TANH).build(), "in");
        String before = "dense";
        if (shape.length > 1) {
            b.addVertex("shaped", new ReshapeVertex(reshape), "dense");
            before = "shaped";
        }
        b.addLayer("prelu", GraftPReLULayer.copyOf(prelu.build()), before);
        String after = "prelu";
        if (shape.length > 1) {
            b.addVertex("flat", new ReshapeVertex(-1, (int) n), "prelu");
            after = "flat";
        }
        b.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(n).nOut(2).activation(Activation.IDENTITY).build(), after)
                .setOutputs("out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        assertTrue(g.getLayer("prelu") instanceof PReLURuntime);
        INDArray alpha = g.getLayer("prelu").getParam(PReLUParamInitializer.WEIGHT_KEY);
        alpha.assign(Nd4j.rand(DataType.DOUBLE, alpha.shape()).muli(0.8).addi(0.1));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5).muli(4);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 4, 2);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check of PReLU on " + Arrays.toString(shape) + " sharing " + Arrays.toString(sharedAxes));
    }
}
