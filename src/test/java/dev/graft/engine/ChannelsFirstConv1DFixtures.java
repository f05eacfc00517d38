package dev.graft.engine;

import dev.graft.Fixtures;
import dev.graft.format.ModelFiles;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.List;

/** The single-Conv1D models Keras 2.3.1 wrote in {@code keras/io}, with the predictions it stored next to them. */
final class ChannelsFirstConv1DFixtures {
    private ChannelsFirstConv1DFixtures() {
    }

    /** {@code conv1d_k<k>_s<stride>_d<dilation>_cf_<padding>_model.h5}: channels first. */
    static List<Path> channelsFirst() {
        return Fixtures.files("keras/io", p -> p.getFileName().toString().matches("conv1d_k\\d_s\\d_d\\d_cf_\\w+_model\\.h5"));
    }

    /** {@code causal_conv1d_*_cl_model.h5}: the only causal ones (channels last; Keras allows causal only there before 2.4). */
    static List<Path> causal() {
        return Fixtures.files("keras/io", p -> p.getFileName().toString().matches("causal_conv1d_.*_model\\.h5"));
    }

    static Path predictions(Path model) {
        return model.resolveSibling(model.getFileName().toString().replace("_model.h5", "_inputs_and_outputs.h5"));
    }

    static Layer conv(ModelGraph model) {
        return model.layers().stream().filter(l -> "Conv1D".equals(l.className())).findFirst().orElseThrow();
    }

    static ModelGraph read(Path model) {
        return ModelFiles.read(model);
    }
}
