package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test helpers: a network holding one GRU layer, fed and read as plain Java arrays. */
final class GruNets {

    private GruNets() {
    }

    /** A double-precision network whose only layer is {@code gru}, with the given Keras weights. */
    static MultiLayerNetwork single(KerasGruLayer gru, double[][] kernel, double[][] recurrent, double[][] bias) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(1)
                .list()
                .layer(gru)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getLayer(0).getParam(KerasGruLayer.KERNEL).assign(Nd4j.create(kernel));
        net.getLayer(0).getParam(KerasGruLayer.RECURRENT_KERNEL).assign(Nd4j.create(recurrent));
        if (bias != null) {
            net.getLayer(0).getParam(KerasGruLayer.BIAS).assign(Nd4j.create(bias));
        }
        return net;
    }

    /** Rows of random numbers in [-scale, scale). */
    static double[][] random(java.util.Random rnd, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int c = 0; c < cols; c++) {
                row[c] = (rnd.nextDouble() * 2 - 1) * scale;
            }
        }
        return m;
    }

    static double[][][] random(java.util.Random rnd, int batch, int steps, int features, double scale) {
        double[][][] x = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            x[b] = random(rnd, steps, features, scale);
        }
        return x;
    }

    static INDArray nwc(double[][][] x) {
        return Nd4j.create(x);
    }

    /** Largest |a − b| between a network output and a reference laid out [batch][steps or 1][units]. */
    static double maxAbsDiff(INDArray out, double[][][] ref, boolean sequences) {
        double max = 0;
        for (int b = 0; b < ref.length; b++) {
            for (int t = 0; t < ref[b].length; t++) {
                for (int j = 0; j < ref[b][t].length; j++) {
                    double v = sequences ? out.getDouble(b, t, j) : out.getDouble(b, j);
                    max = Math.max(max, Math.abs(v - ref[b][t][j]));
                }
            }
        }
        return max;
    }
}
