package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.PReLU;
import org.deeplearning4j.nn.params.PReLUParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computing side of {@link GraftPReLULayer}: DL4J's own PReLU forward pass (unchanged numbers), and the backward
 * pass of {@link PReLUGradients} in place of ND4J's {@code prelu_bp}, which refuses a PReLU sharing its alpha over
 * an image's rows and columns ("the length of input array should be no more than SD_MAX_RANK*2 times the alpha array
 * length").
 */
public class PReLURuntime extends PReLU {

    public PReLURuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray alpha = getParam(PReLUParamInitializer.WEIGHT_KEY);
        PReLUGradients.Result gradients = PReLUGradients.of(input, alpha, epsilon);
        INDArray alphaGradient = gradientViews.get(PReLUParamInitializer.WEIGHT_KEY);
        alphaGradient.assign(gradients.alpha().reshape(alphaGradient.shape()));
        Gradient ret = new DefaultGradient();
        ret.setGradientFor(PReLUParamInitializer.WEIGHT_KEY, alphaGradient);
        INDArray delta = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, gradients.input());
        delta = backpropDropOutIfPresent(delta);
        return new Pair<>(ret, delta);
    }
}
