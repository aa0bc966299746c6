package dev.rnn4j.runs;

import dev.rnn4j.config.BackendSelection;
import dev.rnn4j.config.Backends;
import dev.rnn4j.datasets.forecasting.SeriesForecast;
import dev.rnn4j.datasets.forecasting.SeriesTable;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.model.Model;
import dev.rnn4j.spi.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The forecasting front door: one network for many series ({@code series-forecast}), fitted on series held in memory
 * and forecasting any series' next {@code horizon} values with a 95% interval.
 *
 * <pre>{@code
 * try (Forecaster f = Forecaster.builder().setHorizon(48).setSeason(24).setOut(Path.of("out/m4h")).build()) {
 *     f.fit(seriesById);                                   // Map<String, double[]>: trains, keeps the model in out
 *     Forecaster.Forecast next = f.forecast(seriesById.get("H1"));
 *     double[] point = next.point(), lower = next.lower(), upper = next.upper();
 * }
 * }</pre>
 *
 * {@link #fit} runs the same training request as {@code ./rnn4j train --task series-forecast} on the series (written
 * to {@code out/series.csv}), so its recipe, checkpoints, {@code metrics.json} (with each series' last H values as the
 * test) and figures are the command's.
 */
public final class Forecaster implements AutoCloseable {
    private final Builder settings;
    private Model model;
    private SeriesForecast.Config config;
    private double[][] calibration;
    private TrainingRun.Outcome outcome;

    private Forecaster(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A forecast of one series.
     *
     * @param point the values expected at steps 1..H
     * @param lower the 95% interval's lower ends
     * @param upper its upper ends
     */
    public record Forecast(double[] point, double[] lower, double[] upper) {
    }

    /**
     * Trains on {@code series} (by id, each in time order).
     *
     * @throws IllegalArgumentException for a setting or series the training refuses (e.g. all too short for one window)
     */
    public Forecaster fit(Map<String, double[]> series) throws IOException {
        Path out = settings.out;
        AtomicFiles.requireWritableFolder(out);
        Files.createDirectories(out);
        Path csv = out.resolve("series.csv");
        new SeriesTable(List.copyOf(series.keySet()), List.copyOf(series.values())).writeWide(csv);
        TrainingRequest.Builder request = TrainingRequest.builder().setTask("series-forecast")
                .option("csv", csv.toString()).option("horizon", String.valueOf(settings.horizon))
                .option("season", String.valueOf(settings.season)).optSeed(settings.seed).setOut(out.resolve("model"));
        if (settings.steps != null) {
            request.optSteps(settings.steps);
        }
        if (settings.ensemble != null) {
            request.option("ensemble", String.valueOf(settings.ensemble));
        }
        if (settings.backend != null) {
            request.optBackend(settings.backend);
        }
        TrainingRequest built = request.build();
        outcome = built.run();
        config = (SeriesForecast.Config) built.data().config();
        close();
        model = TrainingRun.load(Backends.create(BackendSelection.resolve(settings.backend).name(),
                EnumSet.noneOf(Capability.class)), built.out(), built.plan().spec(), outcome.parameters()); // + members
        calibration = SeriesForecast.read(config).calibration(model);
        return this;
    }

    /** What the training run reported ({@code metrics.json}), after {@link #fit}. */
    public TrainingRun.Outcome outcome() {
        requireFitted();
        return outcome;
    }

    /**
     * The next H values of {@code history} (a series in time order, any series, at least the model's window long).
     *
     * @throws IllegalStateException before {@link #fit}
     * @throws IllegalArgumentException if the series is shorter than the window the model reads
     */
    public Forecast forecast(double[] history) {
        requireFitted();
        if (history.length < Math.max(config.window(), config.season() + 1)) {
            throw new IllegalArgumentException("a series of " + history.length + " values; the model reads windows of "
                    + config.window() + " (and needs more than a season, " + config.season() + ")");
        }
        SeriesForecast.Problem one = new SeriesForecast.Problem(config, List.of("series"), List.of(history.clone()),
                List.of(), List.of());
        double[] point = one.forecast(model)[0];
        double[][] band = SeriesForecast.band(config, history, point, calibration);
        double[] lower = band[0];
        double[] upper = band[1];
        return new Forecast(point, lower, upper);
    }

    /** Reads series in the M4 layout (a header row, then each series' id and values), for {@link #fit}. */
    public static Map<String, double[]> readWide(Path csv) {
        SeriesTable table = SeriesTable.readWide(csv);
        Map<String, double[]> series = new java.util.LinkedHashMap<>();
        for (int s = 0; s < table.size(); s++) {
            series.put(table.ids().get(s), table.values().get(s));
        }
        return series;
    }

    private void requireFitted() {
        if (model == null) {
            throw new IllegalStateException("call fit first");
        }
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    /** Settings: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private int horizon;
        private int season;
        private Path out;
        private long seed = 1;
        private Integer steps;
        private String backend;
        private Integer ensemble;

        private Builder() {
        }

        /** H, the steps forecast at once. */
        public Builder setHorizon(int v) {
            horizon = v;
            return this;
        }

        /** The seasonal period (24 for hourly data). */
        public Builder setSeason(int v) {
            season = v;
            return this;
        }

        /** Where the training run leaves its files. */
        public Builder setOut(Path v) {
            out = v;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Optimizer steps (default: the recipe's). */
        public Builder optSteps(int v) {
            steps = v;
            return this;
        }

        /** Models trained from successive seeds and combined by their median (default: the task's, 5). */
        public Builder optEnsemble(int v) {
            ensemble = v;
            return this;
        }

        /** The engine (default: the configured one). */
        public Builder optBackend(String v) {
            backend = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException for a horizon or season below 1, or no output folder
         */
        public Forecaster build() {
            if (horizon < 1 || season < 1) {
                throw new IllegalArgumentException("a forecaster needs setHorizon and setSeason of at least 1, got "
                        + horizon + " and " + season);
            }
            if (out == null) {
                throw new IllegalArgumentException("a forecaster needs setOut(folder) for its training run");
            }
            return new Forecaster(this);
        }
    }
}
