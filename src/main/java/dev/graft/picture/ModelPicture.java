package dev.graft.picture;

import dev.graft.GraftException;
import dev.graft.UsageException;
import dev.graft.format.AtomicFile;
import dev.graft.model.ModelGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A picture of a model like Keras's {@code plot_model}, as {@code .svg} or {@code .png} (by the
 * extension), written atomically. Needs no Graphviz: the layout is ELK's, the drawing graft's.
 */
public final class ModelPicture {
    private ModelPicture() {
    }

    /** Refuses, before any work, a file name whose format graft does not draw. */
    public static void checkName(Path out) {
        String n = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".svg") && !n.endsWith(".png")) {
            throw new UsageException("bad --graph '" + out + "': name the picture .svg or .png");
        }
    }

    public static void write(ModelGraph model, Path out) {
        checkName(out);
        Diagram d = DiagramBuilder.build(model);
        boolean svg = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg");
        try {
            if (svg) {
                String text = SvgDrawing.render(d);
                AtomicFile.write(out, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
            } else {
                var img = PngDrawing.render(d);
                AtomicFile.write(out, tmp -> {
                    if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer in this Java");
                });
            }
        } catch (IOException e) {
            throw new GraftException(out + ": cannot write: " + e.getMessage(), e);
        }
    }
}
