package dev.rnn4j.examples.report;

import dev.rnn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG figures with XChart, rendered headless and written atomically. */
public final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** The training loss of every step (log scale) as a PNG. */
    public static void lossCurve(List<Double> loss, String title, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("optimizer step")
                .yAxisTitle("training loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(false);
        double[] x = IntStream.rangeClosed(1, loss.size()).asDoubleStream().toArray();
        double[] y = loss.stream().mapToDouble(v -> Math.max(v, 1e-12)).toArray();
        XYSeries s = chart.addSeries("loss", x, y);
        s.setMarker(SeriesMarkers.NONE);
        write(chart, file);
    }

    /** Writes any chart as PNG, atomically. */
    public static void write(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
