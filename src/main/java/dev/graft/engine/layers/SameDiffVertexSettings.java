package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;

/** What DL4J's {@link SameDiffVertex} itself holds (name, regularisation, updaters, gradient normalisation, data type), for graft's vertices' {@code clone()}. */
final class SameDiffVertexSettings {
    private SameDiffVertexSettings() {
    }

    /** Copies {@code from}'s base-class settings into {@code to} (updaters cloned, so the two never share state); returns {@code to}. */
    static <T extends SameDiffVertex> T copy(SameDiffVertex from, T to) {
        to.setName(from.getName());
        to.setRegularization(from.getRegularization());
        to.setRegularizationBias(from.getRegularizationBias());
        to.setUpdater(from.getUpdater() == null ? null : from.getUpdater().clone());
        to.setBiasUpdater(from.getBiasUpdater() == null ? null : from.getBiasUpdater().clone());
        to.setGradientNormalization(from.getGradientNormalization());
        to.setGradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        to.setDataType(from.getDataType());
        return to;
    }
}
