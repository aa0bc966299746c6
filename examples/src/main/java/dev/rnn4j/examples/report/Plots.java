package dev.rnn4j.examples.report;

import dev.rnn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
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

    /** Line series {@code name -> {x[], y[]}} on one chart, optionally with a log y axis. */
    public static void lines(String title, String xTitle, String yTitle, Map<String, double[][]> series, boolean logY,
                             Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        series.forEach((name, xy) -> {
            double[] y = xy[1].clone();
            if (logY) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(y[i], 1e-12);
                }
            }
            chart.addSeries(name, xy[0], y).setMarker(xy[0].length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        });
        write(chart, file);
    }

    /** Scatter series {@code name -> {x[], y[]}}. */
    public static void scatter(String title, String xTitle, String yTitle, Map<String, double[][]> series, Path file)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(700).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
        write(chart, file);
    }

    /** A heat map of {@code z[i][j]} over {@code x[i]}, {@code y[j]}. */
    public static void heatmap(String title, String xTitle, String yTitle, double[] x, double[] y, double[][] z,
                               Path file) throws IOException {
        HeatMapChart chart = new HeatMapChartBuilder().width(700).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setShowValue(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setYAxisDecimalPattern("0.#");
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                cells.add(new Number[] {i, j, z[i][j]});
            }
        }
        List<Double> xs = new ArrayList<>();
        for (double v : x) {
            xs.add(Math.round(v * 10) / 10.0);
        }
        List<Double> ys = new ArrayList<>();
        for (double v : y) {
            ys.add(Math.round(v * 10) / 10.0);
        }
        chart.addSeries(title, xs, ys, cells);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Grouped bars: {@code series name -> values}, one bar per category in each group. */
    public static void bars(String title, String yTitle, List<String> categories, Map<String, double[]> series, boolean logY,
                            Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        series.forEach((name, values) -> {
            List<Double> v = new ArrayList<>();
            for (double d : values) {
                v.add(Double.isNaN(d) ? 0.0 : Math.max(d, logY ? 1e-6 : d));
            }
            chart.addSeries(name, categories, v);
        });
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Writes any chart as PNG, atomically. */
    public static void write(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
