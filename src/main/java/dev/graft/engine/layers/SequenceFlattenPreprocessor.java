package dev.graft.engine.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link KerasFlattenRnnPreprocessor} (Keras's Flatten of a sequence {@code (batch, steps,
 * features)}, row-major) with its backward pass fixed: DL4J 1.0.0-M2.1 hands the gradient back as
 * {@code (batch, features, steps)}, the wrong shape whenever steps and features differ ("Shapes must be
 * equal during backprop"), so nothing before a Flatten of a sequence could train. The forward pass is
 * DL4J's.
 */
public class SequenceFlattenPreprocessor extends KerasFlattenRnnPreprocessor {

    public SequenceFlattenPreprocessor(@JsonProperty("depth") long depth, @JsonProperty("tsLength") long tsLength) {
        super(depth, tsLength);
    }

    /** The gradient of a row-major flatten is the row-major reshape back to the input's (batch, steps, features). */
    @Override
    public INDArray backprop(INDArray epsilons, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilons, 'c').reshape('c', epsilons.size(0), getTsLength(), getDepth());
    }

    @Override
    public SequenceFlattenPreprocessor clone() {
        return (SequenceFlattenPreprocessor) super.clone();
    }
}
