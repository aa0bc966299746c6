package dev.rnn4j.examples.programs;

import com.google.gson.JsonObject;
import dev.rnn4j.datasets.forecasting.PublishedResult;
import dev.rnn4j.runs.Installation;
import dev.rnn4j.runs.TrainingRequest;
import dev.rnn4j.runs.TrainingRun;
import dev.rnn4j.runs.report.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The M4 competition's Hourly series (414 series, 48 hours ahead, 95% intervals) with {@code series-forecast}: one
 * network for all series, its row measured beside the competition's own published table and the statistical
 * benchmarks recomputed on the same series.
 */
public final class M4HourlyExample implements Example {

    @Override
    public String name() {
        return "m4-hourly";
    }

    @Override
    public String summary() {
        return "M4 Hourly: one network for 414 series, 48 hours ahead with 95% intervals, in the competition's own table";
    }

    @Override
    public Report run(ExampleContext ctx) throws IOException {
        Path train = Installation.data("m4/Hourly-train.csv");
        Path test = Installation.data("m4/Hourly-test.csv");
        TrainingRequest.Builder b = TrainingRequest.builder().setTask("series-forecast")
                .option("csv", train.toString()).option("test-csv", test.toString()).option("horizon", "48")
                .option("season", "24").optSeed(ctx.seed()).optBackend(ctx.backend().name())
                .setOut(ctx.out().resolve("model"));
        String setting;
        if (ctx.full()) {
            setting = "the default recipe (`--ensemble 5`: the median of 5 seeds' models, trained on absolute error)";
        } else {
            int steps = ctx.pick(600, 600);
            b.option("ensemble", "1").optSteps(steps).option("eval-every", String.valueOf(Math.max(10, steps / 3)));
            setting = "a small setting (one model, " + steps + " steps; `--full`: the default recipe)";
        }
        TrainingRequest request = b.build();
        TrainingRun.Outcome o = request.run();
        JsonObject m = o.metrics();

        Report report = new Report("M4 Hourly: one network for 414 series");
        report.text("The M4 competition's Hourly series (`data/m4/`, the organisers' files): 414 series of 700 to 960 "
                + "hourly values, each to be forecast 48 hours ahead with a 95% interval, scored by sMAPE, MASE (against "
                + "seasonal naive's in-sample error) and their average relative to Naive2 (OWA), and the intervals by "
                + "MSIS. `series-forecast` trains one LSTM on windows drawn across all series, each scaled by its own "
                + "level and seasonal variation, and forecasts the whole horizon at once as a correction of seasonal "
                + "naive; the intervals come from its errors on each series' last 48 training values. This run: "
                + setting + ", backend `" + ctx.backend().name() + "`, seed " + ctx.seed() + ", "
                + Report.fmt(m.get("train_seconds").getAsDouble()) + " s of training. Command line: `./rnn4j train "
                + "--task series-forecast --csv data/m4/Hourly-train.csv --test-csv data/m4/Hourly-test.csv "
                + "--horizon 48 --season 24 --out DIR`.");
        List<PublishedResult> published = PublishedResult.read(Installation.data("m4/Hourly-published.csv"));
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("**rnn4j series-forecast (this run)**", num(m, "test_smape"), num(m, "test_mase"),
                num(m, "test_owa"), num(m, "test_msis"), "measured here"));
        for (String[] bench : new String[][] {{"snaive", "sNaive"}, {"naive2", "Naive2"}, {"theta", "Theta"}}) {
            String key = "baseline_" + bench[0];
            rows.add(List.of(bench[1], num(m, key + "_smape"), num(m, key + "_mase"), num(m, key + "_owa"), "",
                    "recomputed here (rnn4j's Java benchmarks)"));
        }
        for (PublishedResult r : published) {
            rows.add(List.of(r.method(), cell(r.smape()), cell(r.mase()), cell(r.owa()), cell(r.msis()),
                    "published (M4)"));
        }
        report.table(List.of("method", "sMAPE", "MASE", "OWA", "MSIS", "source"), rows);
        report.text("The intervals cover " + Report.fmt(100 * m.get("test_coverage").getAsDouble()) + "% of the test "
                + "values (95% asked). Lower is better in every column; OWA below 1 beats Naive2, below sNaive's 0.627 "
                + "beats repeating yesterday. docs/your-own-data.md has the default recipe's measured row and where it "
                + "still loses: the winners' 0.41-0.44 are far ahead.");
        report.figure("model/fan.png", "Four series (the first, and those at the quartiles of the model's "
                + "sMAPE: 25%, median, 75%): history, the actual 48 hours, the forecast and its 95% band.");
        report.figure("model/smape-by-step.png", "sMAPE at each step ahead: the model, Naive2 and sNaive.");
        JsonObject results = new JsonObject();
        for (String k : List.of("test_smape", "test_mase", "test_owa", "test_msis", "test_coverage",
                "baseline_snaive_owa", "baseline_naive2_smape", "baseline_theta_owa")) {
            results.addProperty(k, m.get(k).getAsDouble());
        }
        report.metrics().add("results", results);
        report.write(ctx.out());
        return report;
    }

    private static Object num(JsonObject m, String key) {
        return m.get(key).getAsDouble();
    }

    private static Object cell(double v) {
        return Double.isNaN(v) ? "" : v;
    }
}
