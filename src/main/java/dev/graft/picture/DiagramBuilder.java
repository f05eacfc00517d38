package dev.graft.picture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import dev.graft.shape.GraphShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Lays a model out as Keras's {@code plot_model} draws it: one box per layer, top to bottom, an
 * arrow per tensor labelled with its shape. Layers of a hybrid are coloured by the donor they came
 * from (the provenance says which), bridges stand out. The layout is Eclipse ELK's layered
 * algorithm (Sugiyama style, as Graphviz's dot), run in-process.
 */
final class DiagramBuilder {
    private static boolean registered;

    private DiagramBuilder() {
    }

    static Diagram build(ModelGraph model) {
        register();
        GraphShapes shapes = GraphShapes.infer(model);
        Map<String, Integer> donorOf = new HashMap<>();
        Map<String, String> bridgeOf = new HashMap<>();
        List<Diagram.LegendEntry> legend = new ArrayList<>();
        readProvenance(model.provenance(), donorOf, bridgeOf, legend);

        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, 24.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 28.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_LABEL, 4.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(16));

        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        Map<String, List<String>> lines = new HashMap<>();
        Map<String, Diagram.Kind> kinds = new HashMap<>();
        List<String> outputs = model.outputs().stream().map(TensorRef::layer).toList();
        for (Layer l : model.layers()) {
            Diagram.Kind kind = l.isInput() ? Diagram.Kind.INPUT : bridgeOf.containsKey(l.name()) ? Diagram.Kind.BRIDGE : Diagram.Kind.LAYER;
            List<String> text = new ArrayList<>();
            text.add(l.name());
            text.add(kind == Diagram.Kind.BRIDGE ? "bridge " + bridgeOf.get(l.name()) + " (" + l.className() + ")" : l.className());
            if (outputs.contains(l.name())) text.add("output " + shapeText(shapes.outputShapes(l.name())));
            double w = 0;
            for (int i = 0; i < text.size(); i++) w = Math.max(w, Style.width(text.get(i), i == 0));
            ElkNode n = ElkGraphUtil.createNode(root);
            n.setIdentifier(l.name());
            n.setDimensions(Math.ceil(w + 2 * Style.PAD_X), text.size() * Style.LINE + 2 * Style.PAD_Y);
            nodes.put(l.name(), n);
            lines.put(l.name(), text);
            kinds.put(l.name(), kind);
        }
        String previous = null;
        for (Layer l : model.layers()) {
            List<TensorRef> ins = new ArrayList<>();
            for (LayerCall c : l.calls()) ins.addAll(c.inputs());
            if (ins.isEmpty() && !l.isInput() && previous != null) ins.add(TensorRef.of(previous)); // a Sequential's implicit chain
            for (TensorRef t : ins) {
                ElkNode from = nodes.get(t.layer());
                if (from == null) continue;
                ElkEdge e = ElkGraphUtil.createSimpleEdge(from, nodes.get(l.name()));
                String label = shapeText(shapes.shape(t));
                ElkLabel lab = ElkGraphUtil.createLabel(label, e);
                lab.setDimensions(Style.smallWidth(label) + 4, Style.SMALL_SIZE + 4);
                lab.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
            }
            previous = l.name();
        }

        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        double top = legend.isEmpty() ? 0 : legend.size() * Style.LEGEND_ROW + 12;
        List<Diagram.Box> boxes = new ArrayList<>();
        for (Map.Entry<String, ElkNode> e : nodes.entrySet()) {
            ElkNode n = e.getValue();
            boxes.add(new Diagram.Box(e.getKey(), kinds.get(e.getKey()), donorOf.getOrDefault(e.getKey(), -1),
                    n.getX(), n.getY() + top, n.getWidth(), n.getHeight(), lines.get(e.getKey())));
        }
        List<Diagram.Arrow> arrows = new ArrayList<>();
        for (ElkEdge e : root.getContainedEdges()) {
            if (e.getSections().isEmpty()) continue;
            ElkEdgeSection s = e.getSections().get(0);
            List<Double> pts = new ArrayList<>(List.of(s.getStartX(), s.getStartY() + top));
            for (ElkBendPoint b : s.getBendPoints()) {
                pts.add(b.getX());
                pts.add(b.getY() + top);
            }
            pts.add(s.getEndX());
            pts.add(s.getEndY() + top);
            ElkLabel lab = e.getLabels().get(0);
            arrows.add(new Diagram.Arrow(pts.stream().mapToDouble(Double::doubleValue).toArray(), lab.getText(),
                    lab.getX(), lab.getY() + top, lab.getWidth(), lab.getHeight()));
        }
        double width = Math.max(root.getWidth(), legendWidth(legend) + 32);
        return new Diagram(Math.ceil(width), Math.ceil(root.getHeight() + top), boxes, arrows, legend);
    }

    /** Which donor each layer of a hybrid came from, and which layers are bridges. */
    private static void readProvenance(JsonNode p, Map<String, Integer> donorOf, Map<String, String> bridgeOf,
                                       List<Diagram.LegendEntry> legend) {
        if (p == null) return;
        int i = 0;
        for (JsonNode d : p.path("donors")) {
            for (JsonNode l : d.path("layers")) donorOf.put(l.asText(), i);
            legend.add(new Diagram.LegendEntry(Diagram.Kind.LAYER, i, d.path("role").asText("donor " + (i + 1)) + ": " + d.path("file").asText("?")));
            i++;
        }
        List<String> specs = new ArrayList<>();
        for (JsonNode b : p.path("bridges")) {
            if (b.path("layers").isEmpty()) continue;
            for (JsonNode l : b.path("layers")) bridgeOf.put(l.asText(), b.path("spec").asText());
            specs.add(b.path("spec").asText());
        }
        if (!specs.isEmpty()) legend.add(new Diagram.LegendEntry(Diagram.Kind.BRIDGE, -1, "bridge: " + String.join(", ", specs)));
    }

    private static double legendWidth(List<Diagram.LegendEntry> legend) {
        double w = 0;
        for (Diagram.LegendEntry e : legend) w = Math.max(w, 26 + Style.width(e.text(), false));
        return w;
    }

    private static String shapeText(List<Shape> shapes) {
        if (shapes == null || shapes.isEmpty()) return "?";
        return shapes.size() == 1 ? shapes.get(0).toString() : shapes.toString();
    }

    private static String shapeText(Shape s) {
        return s == null ? "?" : s.toString();
    }

    private static synchronized void register() {
        if (registered) return;
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        registered = true;
    }
}
