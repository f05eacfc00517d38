import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.Layer;
import dev.graft.model.ModelFormat;
import dev.graft.model.ModelGraph;
import dev.graft.model.SourceInfo;
import dev.graft.model.TensorRef;
import dev.graft.surgery.KerasLayerFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** bench/merge.sh's donors: one Dense(width -> width) model, about width^2 parameters. */
public class BigDonor {
    public static void main(String[] args) throws Exception {
        int width = Integer.parseInt(args[1]);
        SplittableRandom rng = new SplittableRandom(Long.parseLong(args[2]));
        Layer in = KerasLayerFactory.input("input", Arrays.asList(null, (long) width));
        Layer d = KerasLayerFactory.dense("dense", width, "relu", width, TensorRef.of("input"), rng);
        SourceInfo src = new SourceInfo(null, ModelFormat.KERAS_H5, "graft", null, null, -1);
        KerasH5Writer.write(new ModelGraph("big", "Model", List.of(in, d), List.of(TensorRef.of("input")), List.of(TensorRef.of("dense")),
                null, null, src), Path.of(args[0]));
    }
}
