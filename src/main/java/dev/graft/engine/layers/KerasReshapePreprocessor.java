package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.DataFormat;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link ReshapePreprocessor} (Keras's Reshape) taking the batch size from the array it
 * reshapes. DL4J 1.0.0-M2.1 graphs pass the batch size of the last {@code fit} call instead, so a
 * network that contains a Reshape fails in {@code output()} on any other number of rows ("Input shape
 * [560, 16, 16] and target shape [16, 32, 8] do not match") once it has trained. The reshape itself is
 * DL4J's; the input shape it restores in the backward pass is given in the order the array has it.
 */
public class KerasReshapePreprocessor extends ReshapePreprocessor {

    public KerasReshapePreprocessor(@JsonProperty("inputShape") long[] inputShape, @JsonProperty("targetShape") long[] targetShape,
                                    @JsonProperty("hasMiniBatchDimension") boolean hasMiniBatchDimension,
                                    @JsonProperty("dataFormat") DataFormat dataFormat) {
        super(inputShape, targetShape, hasMiniBatchDimension, dataFormat);
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return super.preProcess(input, (int) input.size(0), workspaceMgr);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return super.backprop(output, (int) output.size(0), workspaceMgr);
    }

    @Override
    public KerasReshapePreprocessor clone() {
        return (KerasReshapePreprocessor) super.clone();
    }
}
