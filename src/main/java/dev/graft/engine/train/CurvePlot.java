package dev.graft.engine.train;

import dev.graft.GraftException;
import dev.graft.format.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code --plot FILE.png}: the training and validation curves per epoch, loss on top and each
 * metric below, drawn with JFreeChart without a display.
 */
public final class CurvePlot {
    private CurvePlot() {
    }

    public static void write(Path file, List<EpochRecord> history) {
        System.setProperty("java.awt.headless", "true");
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        for (String key : history.get(0).train().keySet()) plot.add(panel(key, history), key.equals("loss") ? 2 : 1);
        JFreeChart chart = new JFreeChart("Training curves", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            AtomicFile.write(file, tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 900, 300 + 200 * history.get(0).train().size()));
        } catch (IOException e) {
            throw new GraftException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static XYPlot panel(String key, List<EpochRecord> history) {
        XYSeries train = new XYSeries("train " + key);
        XYSeries val = new XYSeries("validation " + key);
        for (EpochRecord r : history) {
            train.add(r.epoch(), r.train().get(key));
            if (r.validation().containsKey(key)) val.add(r.epoch(), r.validation().get(key));
        }
        XYSeriesCollection data = new XYSeriesCollection(train);
        if (val.getItemCount() > 0) data.addSeries(val);
        NumberAxis y = new NumberAxis(key);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, new Color(31, 119, 180));
        r.setSeriesPaint(1, new Color(255, 127, 14));
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot p = new XYPlot(data, null, y, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }
}
