package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine cannot compute for a channels-first Conv1D is refused with the layer's name, before any arithmetic. */
class ChannelsFirstConv1DRefusalTest {

    /** Grouped convolutions are computed (graft's own layer); a kernel made for all input channels, not a group's, is refused on import. */
    @Test
    void groupedConvolutionWithAKernelForAllChannels() {
        ModelGraph model = new Conv1DStacks(1, 6L, 10L)
                .conv1d("grouped", "channels_first", 6, 4, 3, 1, 1, "valid", "linear", true)
                .model();
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (!l.name().equals("grouped")) {
                layers.add(l);
                continue;
            }
            ObjectNode c = l.config().deepCopy();
            c.put("groups", 2);
            layers.add(l.withConfig(c));
        }
        EngineException e = assertThrows(EngineException.class,
                () -> KerasEngine.build(model.withLayers(layers, model.inputs(), model.outputs())));
        assertEquals("layer 'grouped': the engine cannot build this model: Conv1D layer grouped: the kernel has shape [3, 6, 4] "
                + "where the layer's input needs [3, 3, 4]", e.getMessage());
    }

    /** An activation graft does not compute is refused before the engine sees it, naming the layer. */
    @Test
    void activationGraftDoesNotCompute() {
        ModelGraph model = new Conv1DStacks(3, 3L, 10L)
                .conv1d("glu_conv", "channels_first", 3, 4, 3, 1, 1, "valid", "glu", true)
                .model();
        EngineException e = assertThrows(EngineException.class, () -> KerasEngine.build(model));
        assertEquals("layer 'glu_conv' uses activation 'glu' with data_format channels_first, which graft does not compute (it halves the "
                + "features of channels-last layers); graft cannot compute this model", e.getMessage());
    }

    /** A kernel made for other channels than the input has (e.g. a hand-edited file) fails on import, not in the native op. */
    @Test
    void kernelForOtherChannels() {
        ModelGraph model = new Conv1DStacks(2, 3L, 10L)
                .conv1d("mismatch", "channels_first", 5, 4, 3, 1, 1, "valid", "linear", true)
                .model();
        EngineException e = assertThrows(EngineException.class, () -> KerasEngine.build(model));
        assertEquals("the engine cannot build this model: channels_first Conv1D layer 'mismatch': kernel has shape "
                + "[3, 5, 4] but (kernel_size, input channels, filters) is [3, 3, 4]", e.getMessage());
    }
}
