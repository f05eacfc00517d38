package dev.graft.picture;

import java.util.Locale;

/** A {@link Diagram} as SVG text, written by hand: boxes, arrows with their shape labels, a legend. */
final class SvgDrawing {
    private SvgDrawing() {
    }

    static String render(Diagram d) {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
                + " font-family=\"%s\" font-size=\"%d\">\n", d.width(), d.height(), d.width(), d.height(), Style.SVG_FONTS, Style.FONT_SIZE));
        sb.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                + "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"" + Style.EDGE + "\"/></marker></defs>\n");
        sb.append(String.format(Locale.ROOT, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", d.width(), d.height()));
        legend(d, sb);
        for (Diagram.Arrow a : d.arrows()) {
            sb.append("<g class=\"tensor\"><path fill=\"none\" stroke=\"").append(Style.EDGE).append("\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\" d=\"");
            for (int i = 0; i < a.points().length; i += 2) {
                sb.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", a.points()[i], a.points()[i + 1]));
            }
            sb.append("\"/>");
            sb.append(String.format(Locale.ROOT, "<text class=\"shape\" x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"#333333\">%s</text></g>\n",
                    a.labelX() + 2, a.labelY() + a.labelH() - 4, Style.SMALL_SIZE, escape(a.label())));
        }
        for (Diagram.Box b : d.boxes()) {
            String cls = b.kind() == Diagram.Kind.BRIDGE ? "layer bridge" : b.kind() == Diagram.Kind.INPUT ? "layer input" : "layer donor" + b.group();
            sb.append("<g class=\"").append(cls).append("\">");
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
                    b.x(), b.y(), b.w(), b.h(), Style.fill(b.kind(), b.group()), Style.stroke(b.kind(), b.group()),
                    b.kind() == Diagram.Kind.BRIDGE ? "2" : "1.2", b.kind() == Diagram.Kind.BRIDGE ? " stroke-dasharray=\"5 3\"" : ""));
            for (int i = 0; i < b.lines().size(); i++) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>%s</text>",
                        b.x() + b.w() / 2, b.y() + Style.PAD_Y + (i + 1) * Style.LINE - 4, i == 0 ? " font-weight=\"bold\"" : "",
                        escape(b.lines().get(i))));
            }
            sb.append("</g>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void legend(Diagram d, StringBuilder sb) {
        double y = 12;
        for (Diagram.LegendEntry e : d.legend()) {
            sb.append(String.format(Locale.ROOT, "<g class=\"legend\"><rect x=\"16\" y=\"%.1f\" width=\"16\" height=\"14\" rx=\"3\" fill=\"%s\" stroke=\"%s\"%s/>"
                    + "<text x=\"40\" y=\"%.1f\">%s</text></g>\n", y, Style.fill(e.kind(), e.group()), Style.stroke(e.kind(), e.group()),
                    e.kind() == Diagram.Kind.BRIDGE ? " stroke-dasharray=\"4 2\"" : "", y + 12, escape(e.text())));
            y += Style.LEGEND_ROW;
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
