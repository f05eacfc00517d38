package dev.graft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code inspect MODEL --graph}: the samples' hybrids drawn, every layer named, donors and bridges told apart, shapes on the arrows. */
class InspectGraphTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} + {1} through {2}")
    @CsvSource({
        "example3_first.h5, example3_second.h5, dense:32",
        "ts_extractor.h5, ts_lstm.h5, dense:8",
        "ts_extractor.h5, ts_lstm32.h5, reshape",
        "ts_extractor.h5, ts_gru.h5, none",
    })
    void hybridsAreDrawnWithEveryLayer(String first, String second, String bridge) throws Exception {
        Path hybrid = dir.resolve("h.h5");
        List<String> merge = new ArrayList<>(List.of("merge", "samples/" + first, "samples/" + second, "-o", hybrid.toString(), "-q"));
        if (!bridge.equals("none")) merge.addAll(List.of("--bridge", bridge));
        assertEquals(0, Cli.run(merge.toArray(String[]::new)).exitCode());
        JsonNode summary = Cli.run("inspect", "--json", hybrid.toString()).json();

        Path svg = dir.resolve("h.svg");
        Cli r = Cli.run("inspect", hybrid.toString(), "--graph", svg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("wrote " + svg + "\n", r.err());
        assertEquals("", r.out());
        String text = Files.readString(svg);
        List<String> boldNames = matches(text, "<text [^>]*font-weight=\"bold\">([^<]*)</text>");
        List<String> layers = new ArrayList<>();
        summary.path("layers").forEach(l -> layers.add(l.path("name").asText()));
        assertEquals(layers, boldNames, "one box per layer, named");
        int bridges = 0;
        for (JsonNode l : summary.path("layers")) if (!l.path("bridge").isNull()) bridges++;
        assertEquals(bridges, matches(text, "<g class=\"layer bridge\">").size(), "bridges drawn as bridges");
        assertEquals(layers.size() - 1, matches(text, "<g class=\"tensor\">").size(), "one arrow per tensor of the chain");
        for (String shape : matches(text, "<text class=\"shape\"[^>]*>([^<]*)</text>")) assertTrue(shape.startsWith("(None, "), shape);
        assertTrue(text.contains("first: " + first) && text.contains("second: " + second), "the legend names the donors");

        Path png = dir.resolve("h.png");
        assertEquals(0, Cli.run("inspect", hybrid.toString(), "--graph", png.toString(), "--quiet").exitCode());
        BufferedImage img = ImageIO.read(png.toFile());
        Matcher size = Pattern.compile("<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\"").matcher(text);
        assertTrue(size.find());
        assertEquals(2 * Integer.parseInt(size.group(1)), img.getWidth(), "the PNG is the SVG's drawing at twice the size");
        assertEquals(2 * Integer.parseInt(size.group(2)), img.getHeight());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "h.gif           | bad --graph",
        "h.svg SECOND    | --graph draws one model",
    })
    void refusals(String args, String message) {
        List<String> argv = new ArrayList<>(List.of("inspect", "samples/example1_first.h5", "--graph", dir.resolve(args.split(" ")[0]).toString()));
        if (args.contains("SECOND")) argv.add("samples/example1_second.h5");
        Cli r = Cli.run(argv.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("graft: " + message), r.err());
    }

    private static List<String> matches(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) out.add(m.groupCount() > 0 ? m.group(1) : m.group());
        return out;
    }
}
