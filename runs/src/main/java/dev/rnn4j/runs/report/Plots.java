package dev.rnn4j.runs.report;

import dev.rnn4j.io.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        chart.getStyler().setXAxisDecimalPattern("0.###"); // years read 1962, not 1,962
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

    /** Scatter series {@code name -> {x[], y[]}}, and reference lines drawn as lines (e.g. the ideal diagonal). */
    public static void scatter(String title, String xTitle, String yTitle, Map<String, double[][]> points,
                               Map<String, double[][]> lines, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(700).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        points.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
        lines.forEach((name, xy) -> {
            XYSeries line = chart.addSeries(name, xy[0], xy[1]);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
        });
        write(chart, file);
    }

    /** Viridis (matplotlib's perceptually uniform map), dark blue to yellow, at nine stops. */
    private static final Color[] VIRIDIS = {new Color(0x440154), new Color(0x472D7B), new Color(0x3B528B),
        new Color(0x2C728E), new Color(0x21918C), new Color(0x28AE80), new Color(0x5EC962), new Color(0xADDC30),
        new Color(0xFDE725)};
    /** At most this many tick labels on a heat map's axis. */
    static final int MAX_TICKS = 10;

    /**
     * A heat map of {@code z[i][j]} over {@code x[i]}, {@code y[j]}: viridis colours, the colour bar's labels and the
     * axes' tick labels at three significant digits, at most {@value #MAX_TICKS} tick labels per axis.
     */
    public static void heatmap(String title, String xTitle, String yTitle, double[] x, double[] y, double[][] z,
                               Path file) throws IOException {
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                cells.add(new Number[] {i, j, z[i][j]});
            }
        }
        HeatMapChart chart = heatmapChart(title, xTitle, yTitle);
        chart.getStyler().setShowValue(false);
        // the colour bar prints its ends as they are: round them outward to three significant digits
        double[] all = Arrays.stream(z).flatMapToDouble(Arrays::stream).toArray();
        chart.getStyler().setMin(round(Arrays.stream(all).min().orElse(0), java.math.RoundingMode.FLOOR));
        chart.getStyler().setMax(round(Arrays.stream(all).max().orElse(1), java.math.RoundingMode.CEILING));
        chart.addSeries(title, ticks(x), ticks(y), cells);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /** A confusion matrix: true class down, predicted class across, each cell's count written in it. */
    public static void confusion(String title, List<String> classes, int[][] counts, Path file) throws IOException {
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < classes.size(); t++) {
            for (int p = 0; p < classes.size(); p++) {
                cells.add(new Number[] {p, classes.size() - 1 - t, counts[t][p]}); // first class at the top
            }
        }
        HeatMapChart chart = heatmapChart(title, "predicted class", "true class");
        chart.getStyler().setShowValue(true);
        chart.getStyler().setValueFontColor(Color.WHITE);
        chart.getStyler().setHeatMapDecimalValueFormatter(v -> String.valueOf(Math.round(v)));
        List<String> reversed = new ArrayList<>(classes);
        java.util.Collections.reverse(reversed);
        chart.addSeries(title, classes, reversed, cells);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static HeatMapChart heatmapChart(String title, String xTitle, String yTitle) {
        HeatMapChart chart = new HeatMapChartBuilder().width(700).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setRangeColors(VIRIDIS);
        chart.getStyler().setHeatMapDecimalValueFormatter(Plots::significant);
        return chart;
    }

    /** {@code v} rounded to three significant digits in the direction {@code mode}. */
    static double round(double v, java.math.RoundingMode mode) {
        return v == 0 || !Double.isFinite(v) ? v
                : new java.math.BigDecimal(v).round(new java.math.MathContext(3, mode)).doubleValue();
    }

    /** {@code v} at three significant digits, without trailing zeros ({@code 0.000123}, {@code 12.3}, {@code 1.23e+04}). */
    static String significant(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(3));
        double a = Math.abs(v);
        return a >= 1e5 || a < 1e-4 ? String.format(java.util.Locale.ROOT, "%.2e", v)
                : d.stripTrailingZeros().toPlainString();
    }

    /**
     * Axis categories for {@code values}: each labelled at three significant digits, but only every k-th one (k chosen
     * so at most {@value #MAX_TICKS} show). XChart labels every category of a heat map and wants them distinct, so the
     * others are distinct runs of zero-width spaces, which draw nothing.
     */
    static List<String> ticks(double[] values) {
        int every = Math.max(1, (values.length + MAX_TICKS - 1) / MAX_TICKS);
        List<String> ticks = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            ticks.add(i % every == 0 ? significant(values[i]) : "\u200B".repeat(i));
        }
        return ticks;
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

    /** One box (median, quartiles, whiskers) per group of values, e.g. a metric by cell. */
    public static void boxes(String title, String yTitle, Map<String, double[]> groups, Path file) throws IOException {
        org.knowm.xchart.BoxChart chart = new org.knowm.xchart.BoxChartBuilder().width(800).height(500).title(title)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        groups.forEach((name, values) -> chart.addSeries(name, values));
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Writes any chart as PNG, atomically. */
    public static void write(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
