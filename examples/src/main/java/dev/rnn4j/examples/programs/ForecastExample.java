package dev.rnn4j.examples.programs;

import dev.rnn4j.runs.report.Report;
import com.google.gson.JsonObject;
import dev.rnn4j.datasets.CsvForecast;
import dev.rnn4j.datasets.CsvSeries;
import dev.rnn4j.datasets.Recipe;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.runs.Installation;
import dev.rnn4j.runs.TrainingRun;
import dev.rnn4j.runs.Tasks;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Forecasting a real series from a CSV file with {@code csv-forecast}'s default recipe: yearly sunspot numbers
 * (1700-2008), one year ahead from windows of 9 and 12 years, against persistence and a least-squares AR model on the
 * same test years.
 */
public final class ForecastExample implements Example {

    @Override
    public String name() {
        return "forecast";
    }

    @Override
    public String summary() {
        return "Sunspots from a CSV file, one year ahead: the default recipe against persistence and AR, with the figure";
    }

    /** {@code data/timeseries/sunspots.csv}. */
    static Path sunspots() {
        return Installation.data("timeseries/sunspots.csv");
    }

    @Override
    public Report run(ExampleContext ctx) throws IOException {
        Report report = new Report("Forecasting sunspots from a CSV file");
        Path csv = sunspots();
        int seeds = ctx.full() ? 3 : 1;
        Recipe shown = Tasks.CSV_FORECAST.recipe(null); // the same for every file
        report.text("Yearly mean sunspot numbers 1700-2008 (NOAA, public domain), one year ahead. Rows split by time: "
                + "the first 70% of years train, the next 15% validate, the last 15% (1962-2008) test. The model is "
                + "`csv-forecast`'s default recipe: an LSTM " + shown.hidden() + " learns what a least-squares AR fit on the "
                + "same window leaves (its head starts at zero, so training starts from AR), Adam " + shown.lr() + ", batch "
                + shown.batchSize() + ", " + shown.steps() + " steps evaluated on the validation years every " + shown.evalEvery()
                + ", ending with the best evaluation. Backend `" + ctx.backend().name()
                + "`, " + seeds + " seed" + (seeds > 1 ? "s" : "") + " from " + ctx.seed() + ". Command line: `./rnn4j "
                + "train --task csv-forecast --csv data/timeseries/sunspots.csv --target SUNACTIVITY "
                + "--time-column YEAR --window 9 --out DIR`.");
        List<List<Object>> rows = new ArrayList<>();
        JsonObject json = new JsonObject();
        String firstFigure = null;
        for (int window : new int[] {9, 12}) {
            for (int s = 0; s < seeds; s++) {
                long seed = ctx.seed() + s;
                CsvForecast.Config config = Tasks.CSV_FORECAST.configure(new CsvForecast.Config(csv.toString(),
                        "SUNACTIVITY", List.of(), "YEAR", window, 1, 0, CsvSeries.Missing.ERROR,
                        new double[] {0.7, 0.15}, CsvForecast.Normalize.STANDARD, null, null, true, null));
                Recipe recipe = Tasks.CSV_FORECAST.recipe(config);
                ModelSpec spec = Tasks.CSV_FORECAST.specFor(config).setCell(CellType.LSTM).setHiddenSize(recipe.hidden())
                        .build();
                String dir = "models/w" + window + "-seed" + seed;
                TrainingRun.Outcome o = new TrainingRun(new TaskConfig<>(Tasks.CSV_FORECAST, config), spec,
                        recipe.trainer(Tasks.CSV_FORECAST.metric()).optMaxSteps(ctx.pick(recipe.steps(), recipe.steps()))
                                .optSeed(seed).build(), 1f, seed).run(ctx.backend(), ctx.out().resolve(dir));
                JsonObject m = o.metrics();
                rows.add(List.of(window, seed, m.get("test_rmse").getAsDouble(), m.get("test_mae").getAsDouble(),
                        m.get("baseline_ar_rmse").getAsDouble(), m.get("baseline_persistence_rmse").getAsDouble()));
                JsonObject r = new JsonObject();
                for (String k : List.of("test_rmse", "test_mae", "baseline_ar_rmse", "baseline_persistence_rmse")) {
                    r.addProperty(k, m.get(k).getAsDouble());
                }
                json.add("w" + window + "/seed" + seed, r);
                if (firstFigure == null) {
                    firstFigure = dir;
                }
            }
        }
        report.metrics().add("results", json);
        report.table(List.of("window", "seed", "model RMSE", "model MAE", "AR RMSE", "persistence RMSE"), rows);
        report.text("Persistence (next year = this year) misses by about 29 sunspots; the AR fit on the window by about "
                + "17.7 (W = 9) and 18.5 (W = 12), the reference figures in `data/timeseries/README.md`. "
                + "README's \"Your own data\" has the model on more seeds and on the Nile series, where it does not "
                + "always win.");
        report.figure(firstFigure + "/forecast.png", "The test years: actual, the model and AR(9).");
        report.figure(firstFigure + "/residuals.png", "What each leaves: actual minus forecast on the test years.");
        report.write(ctx.out());
        return report;
    }
}
