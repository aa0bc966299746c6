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

    /** How much of the curve the smoothed line averages over: about a fiftieth of it, as TensorBoard's 0.6-0.99. */
    private static final double SMOOTHING_SHARE = 0.02;

    /**
     * The training loss (log scale) as a PNG a reader takes in at a glance: every step's loss faint, an exponential
     * moving average over it (TensorBoard's debiased smoothing), the held-out evaluations as points on the same axes,
     * and step ticks at round numbers.
     *
     * @param loss        every optimizer step's training loss
     * @param evaluations {@code {step, held-out loss}} pairs (1-based steps, as the curve), or empty
     */
    public static void lossCurve(List<Double> loss, List<double[]> evaluations, String title, Path file)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("optimizer step")
                .yAxisTitle("loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        double[] x = IntStream.rangeClosed(1, loss.size()).asDoubleStream().toArray();
        double[] y = loss.stream().mapToDouble(v -> Math.max(v, 1e-12)).toArray();
        niceStepAxis(chart, loss.size(), y.length == 0 ? 1 : y[0]);
        addSmoothed(chart, "training loss, every step", "smoothed", x, y, PALETTE[0]);
        if (!evaluations.isEmpty()) {
            XYSeries held = chart.addSeries("held-out loss", evaluations.stream().mapToDouble(e -> e[0]).toArray(),
                    evaluations.stream().mapToDouble(e -> Math.max(e[1], 1e-12)).toArray());
            held.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            held.setMarker(SeriesMarkers.CIRCLE);
            held.setMarkerColor(new Color(255, 127, 14));
        }
        write(chart, file);
    }

    /** Several training-loss curves (log scale), each faint with its smoothed line over it in the same colour. */
    public static void lossCurves(String title, Map<String, List<Double>> curves, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("optimizer step")
                .yAxisTitle("training loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        niceStepAxis(chart, curves.values().stream().mapToInt(List::size).max().orElse(1),
                curves.values().stream().filter(c -> !c.isEmpty()).mapToDouble(c -> Math.max(c.get(0), 1e-12))
                        .findFirst().orElse(1));
        int k = 0;
        for (Map.Entry<String, List<Double>> c : curves.entrySet()) {
            Color colour = PALETTE[k++ % PALETTE.length];
            double[] x = IntStream.rangeClosed(1, c.getValue().size()).asDoubleStream().toArray();
            double[] y = c.getValue().stream().mapToDouble(v -> Math.max(v, 1e-12)).toArray();
            addSmoothed(chart, null, c.getKey(), x, y, colour).setShowInLegend(false);
        }
        write(chart, file);
    }

    /** Matplotlib's tab10 colours, for series a reader tells apart. */
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    /**
     * TensorBoard's smoothing: an exponential moving average with weight {@code w} on the past, debiased at the start
     * (divided by {@code 1 - w^t}), where {@code w} makes the average span about {@code share} of the curve. On the
     * log scale the figure uses, so it averages {@code log y} and returns {@code exp} of it.
     */
    static double[] smoothed(double[] y, double share) {
        double span = Math.max(1, share * y.length);
        double w = 1 - 1 / span;
        double[] out = new double[y.length];
        double avg = 0;
        double weight = 0;
        for (int i = 0; i < y.length; i++) {
            avg = w * avg + (1 - w) * Math.log(y[i]);
            weight = w * weight + (1 - w);
            out[i] = Math.exp(avg / weight);
        }
        return out;
    }

    /**
     * The step axis from 0 to a round number ({@link #roundUp}), with its ticks on round steps ({@link #roundTicks}).
     */
    private static void niceStepAxis(XYChart chart, int steps, double yInRange) {
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(roundUp(Math.max(steps, 1)));
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        roundTicks(chart, yInRange);
    }

    /**
     * XChart labels an axis whose x values are all equally spaced at data points (1,430, 2,859, ...) instead of round
     * values; one invisible point at x = 0.5 breaks that spacing ({@code y} any value in the plotted range).
     */
    private static void roundTicks(XYChart chart, double y) {
        XYSeries anchor = chart.addSeries(" ", new double[] {0.5}, new double[] {y});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
    }

    /**
     * A noisy curve drawn faint ({@code rawName}, or hidden from the legend when null) with its smoothed line over it
     * in {@code colour} ({@code name}); returns the faint series.
     */
    private static XYSeries addSmoothed(XYChart chart, String rawName, String name, double[] x, double[] y,
                                        Color colour) {
        XYSeries raw = chart.addSeries(rawName != null ? rawName : name + " (every step)", x, y);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
        raw.setLineWidth(1f);
        XYSeries smooth = chart.addSeries(name, x, smoothed(y, SMOOTHING_SHARE));
        smooth.setMarker(SeriesMarkers.NONE);
        smooth.setLineColor(colour);
        smooth.setLineWidth(2.5f);
        return raw;
    }

    /** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at least {@code v}. */
    static double roundUp(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
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
        scatter(title, xTitle, yTitle, points, lines, false, file);
    }

    /**
     * Scatter series {@code name -> {x[], y[]}} in distinct colours with a legend (when there are several), markers a
     * reader can see, reference lines drawn as lines, optionally a log x axis, and tick labels such as {@code 0.08}.
     */
    public static void scatter(String title, String xTitle, String yTitle, Map<String, double[][]> points,
                               Map<String, double[][]> lines, boolean logX, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(760).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setXAxisDecimalPattern("0.####");
        chart.getStyler().setYAxisDecimalPattern("0.####");
        chart.getStyler().setLegendVisible(points.size() + lines.size() > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int k = 0;
        for (Map.Entry<String, double[][]> p : points.entrySet()) {
            XYSeries s = chart.addSeries(p.getKey(), p.getValue()[0], p.getValue()[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[k++ % PALETTE.length]);
        }
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

    /**
     * Forecast panels side by side (two per row), each {@code name -> series}: {@code history} grey, {@code actual}
     * black, {@code forecast} blue, and the band's {@code 95% band}/{@code 95% band, upper} light blue; one PNG.
     */
    public static void fans(String title, Map<String, Map<String, double[][]>> panels, Path file) throws IOException {
        int w = 560;
        int h = 360;
        int cols = 2;
        int rows = (panels.size() + cols - 1) / cols;
        java.awt.image.BufferedImage all = new java.awt.image.BufferedImage(cols * w, rows * h + 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 18));
        g.drawString(title, 16, 28);
        Map<String, Color> colours = Map.of("history", new Color(130, 130, 130), "actual", Color.BLACK,
                "forecast", PALETTE[0], "95% band", new Color(31, 119, 180, 110), "95% band, upper",
                new Color(31, 119, 180, 110));
        int k = 0;
        for (Map.Entry<String, Map<String, double[][]>> panel : panels.entrySet()) {
            XYChart chart = new XYChartBuilder().width(w).height(h).title(panel.getKey()).xAxisTitle("steps from the "
                    + "forecast origin").yAxisTitle("value").build();
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            chart.getStyler().setXAxisDecimalPattern("0");
            for (Map.Entry<String, double[][]> line : panel.getValue().entrySet()) {
                XYSeries s = chart.addSeries(line.getKey(), line.getValue()[0], line.getValue()[1]);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(colours.getOrDefault(line.getKey(), Color.DARK_GRAY));
                s.setLineWidth(line.getKey().startsWith("95%") ? 1f : 2f);
                s.setShowInLegend(!line.getKey().equals("95% band, upper"));
            }
            double[][] first = panel.getValue().values().iterator().next();
            roundTicks(chart, first[1][first[1].length - 1]);
            g.drawImage(BitmapEncoder.getBufferedImage(chart), (k % cols) * w, 40 + (k / cols) * h, null);
            k++;
        }
        g.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(all, "png", png);
        AtomicFiles.write(file, png.toByteArray());
    }

    /** Writes any chart as PNG, atomically. */
    public static void write(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
