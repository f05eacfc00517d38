package dev.graft.picture;

import java.util.List;

/**
 * A laid-out picture of a model, in pixels, independent of the file it is drawn into: boxes for
 * layers, polylines for the tensors between them (labelled with their shapes) and a legend naming
 * the donors. {@link SvgDrawing} and {@link PngDrawing} draw the same value.
 */
record Diagram(double width, double height, List<Box> boxes, List<Arrow> arrows, List<LegendEntry> legend) {
    /** What a box stands for, which decides its colours. */
    enum Kind { INPUT, LAYER, BRIDGE }

    /**
     * @param group the donor the layer came from (0, 1, ...), or -1 when the model is not a hybrid
     * @param lines the text, first line bold (the layer's name)
     */
    record Box(String id, Kind kind, int group, double x, double y, double w, double h, List<String> lines) {
    }

    /** @param points x0, y0, x1, y1, ...: the route from the producing box to the consuming one */
    record Arrow(double[] points, String label, double labelX, double labelY, double labelW, double labelH) {
    }

    record LegendEntry(Kind kind, int group, String text) {
    }
}
