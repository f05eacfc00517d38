package dev.graft.picture;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;

/** A {@link Diagram} drawn with Java2D into an image, at a scale that stays legible on screens that double pixels. */
final class PngDrawing {
    static final double SCALE = 2.0;

    private PngDrawing() {
    }

    static BufferedImage render(Diagram d) {
        int w = (int) Math.ceil(d.width() * SCALE);
        int h = (int) Math.ceil(d.height() * SCALE);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.scale(SCALE, SCALE);
            legend(d, g);
            for (Diagram.Arrow a : d.arrows()) arrow(a, g);
            for (Diagram.Box b : d.boxes()) box(b, g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void legend(Diagram d, Graphics2D g) {
        double y = 12;
        g.setFont(Style.plain());
        for (Diagram.LegendEntry e : d.legend()) {
            RoundRectangle2D r = new RoundRectangle2D.Double(16, y, 16, 14, 6, 6);
            g.setColor(Style.color(Style.fill(e.kind(), e.group())));
            g.fill(r);
            g.setColor(Style.color(Style.stroke(e.kind(), e.group())));
            g.setStroke(e.kind() == Diagram.Kind.BRIDGE ? dashed(1.5f) : new BasicStroke(1f));
            g.draw(r);
            g.setColor(Color.BLACK);
            g.drawString(e.text(), 40f, (float) (y + 12));
            y += Style.LEGEND_ROW;
        }
    }

    private static void arrow(Diagram.Arrow a, Graphics2D g) {
        double[] p = a.points();
        Path2D.Double path = new Path2D.Double();
        path.moveTo(p[0], p[1]);
        for (int i = 2; i < p.length; i += 2) path.lineTo(p[i], p[i + 1]);
        g.setColor(Style.color(Style.EDGE));
        g.setStroke(new BasicStroke(1.2f));
        g.draw(path);
        // The head, along the last segment.
        double x1 = p[p.length - 4], y1 = p[p.length - 3], x2 = p[p.length - 2], y2 = p[p.length - 1];
        double angle = Math.atan2(y2 - y1, x2 - x1);
        Path2D.Double head = new Path2D.Double();
        head.moveTo(x2, y2);
        head.lineTo(x2 - 7 * Math.cos(angle - 0.4), y2 - 7 * Math.sin(angle - 0.4));
        head.lineTo(x2 - 7 * Math.cos(angle + 0.4), y2 - 7 * Math.sin(angle + 0.4));
        head.closePath();
        g.fill(head);
        g.setFont(Style.small());
        g.setColor(new Color(0x33, 0x33, 0x33));
        g.drawString(a.label(), (float) (a.labelX() + 2), (float) (a.labelY() + a.labelH() - 4));
    }

    private static void box(Diagram.Box b, Graphics2D g) {
        RoundRectangle2D r = new RoundRectangle2D.Double(b.x(), b.y(), b.w(), b.h(), 12, 12);
        g.setColor(Style.color(Style.fill(b.kind(), b.group())));
        g.fill(r);
        g.setColor(Style.color(Style.stroke(b.kind(), b.group())));
        g.setStroke(b.kind() == Diagram.Kind.BRIDGE ? dashed(2f) : new BasicStroke(1.2f));
        g.draw(r);
        g.setColor(Color.BLACK);
        for (int i = 0; i < b.lines().size(); i++) {
            String text = b.lines().get(i);
            g.setFont(i == 0 ? Style.bold() : Style.plain());
            double tw = Style.width(text, i == 0);
            g.drawString(text, (float) (b.x() + (b.w() - tw) / 2), (float) (b.y() + Style.PAD_Y + (i + 1) * Style.LINE - 4));
        }
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 3f}, 0f);
    }
}
