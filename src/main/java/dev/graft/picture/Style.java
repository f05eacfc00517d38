package dev.graft.picture;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** The look both drawings share: fonts, their measurements, and a colour per donor and for bridges. */
final class Style {
    static final int FONT_SIZE = 12;
    static final int SMALL_SIZE = 11;
    static final double PAD_X = 10;
    static final double PAD_Y = 6;
    static final double LINE = 16;
    static final double LEGEND_ROW = 22;
    static final String SVG_FONTS = "DejaVu Sans, Verdana, Arial, sans-serif";

    private static final String[] DONOR_FILLS = {"#dbe9f6", "#dff0d8", "#fbe5d6", "#ece2f4", "#f6f2cf", "#d9f2f2"};
    private static final String[] DONOR_STROKES = {"#4a7fb5", "#4e9a4e", "#c77a3a", "#8a62b0", "#a89a2e", "#3a9a9a"};
    static final String BRIDGE_FILL = "#ffd966";
    static final String BRIDGE_STROKE = "#b07800";
    static final String INPUT_FILL = "#eeeeee";
    static final String INPUT_STROKE = "#777777";
    static final String EDGE = "#555555";

    private static final FontMetrics PLAIN;
    private static final FontMetrics BOLD;
    private static final FontMetrics SMALL;

    static {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics();
        PLAIN = g.getFontMetrics(plain());
        BOLD = g.getFontMetrics(bold());
        SMALL = g.getFontMetrics(small());
        g.dispose();
    }

    private Style() {
    }

    static Font plain() {
        return new Font(Font.SANS_SERIF, Font.PLAIN, FONT_SIZE);
    }

    static Font bold() {
        return new Font(Font.SANS_SERIF, Font.BOLD, FONT_SIZE);
    }

    static Font small() {
        return new Font(Font.SANS_SERIF, Font.PLAIN, SMALL_SIZE);
    }

    static double width(String text, boolean bold) {
        return (bold ? BOLD : PLAIN).stringWidth(text);
    }

    static double smallWidth(String text) {
        return SMALL.stringWidth(text);
    }

    static String fill(Diagram.Kind kind, int group) {
        switch (kind) {
            case BRIDGE: return BRIDGE_FILL;
            case INPUT: return INPUT_FILL;
            default: return DONOR_FILLS[Math.max(0, group) % DONOR_FILLS.length];
        }
    }

    static String stroke(Diagram.Kind kind, int group) {
        switch (kind) {
            case BRIDGE: return BRIDGE_STROKE;
            case INPUT: return INPUT_STROKE;
            default: return DONOR_STROKES[Math.max(0, group) % DONOR_STROKES.length];
        }
    }

    static Color color(String hex) {
        return Color.decode(hex);
    }
}
