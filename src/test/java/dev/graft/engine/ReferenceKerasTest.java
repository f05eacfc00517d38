package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.model.HostArray;
import dev.graft.testutil.StoredPredictions;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-loop reference reproduces Keras on the real fixtures, channels first and causal alike, so
 * the engine tests on models no Keras computed (stacks of layers) compare with Keras's arithmetic.
 */
class ReferenceKerasTest {

    static List<Path> models() {
        return Stream.concat(ChannelsFirstConv1DFixtures.channelsFirst().stream(), ChannelsFirstConv1DFixtures.causal().stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void conv1dMatchesKeras(Path model) {
        StoredPredictions io = StoredPredictions.read(ChannelsFirstConv1DFixtures.predictions(model));
        HostArray expected = io.outputs().get(0);
        HostArray y = ReferenceKeras.conv1d(ChannelsFirstConv1DFixtures.conv(ChannelsFirstConv1DFixtures.read(model)), io.inputs().get(0));
        assertArrayEquals(expected.shape(), y.shape());
        double err = ReferenceKeras.maxAbsDiff(expected, y);
        assertTrue(err <= 1e-6, model.getFileName() + ": max abs error " + err);
    }
}
