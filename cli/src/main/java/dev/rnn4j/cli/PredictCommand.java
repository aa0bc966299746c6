package dev.rnn4j.cli;

import dev.rnn4j.datasets.CsvClassify;
import dev.rnn4j.datasets.CsvForecast;
import dev.rnn4j.datasets.forecasting.SeriesForecast;
import dev.rnn4j.runs.Tasks;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.io.SavedModel;
import dev.rnn4j.model.Model;
import dev.rnn4j.spi.Capability;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j predict}: with a {@code csv-forecast} model, forecasts every row of a CSV file that has a whole input
 * window, with the model's saved columns, window, normalisation and AR fit, and writes {@code time,actual,prediction};
 * with a {@code csv-classify} model, classifies every sequence of a long-format file and writes
 * {@code id,class,p_CLASS...} (the label column is not needed); with a {@code series-forecast} model, forecasts the
 * H values after the end of every series of a wide-layout file and writes {@code id,step,forecast,lo95,hi95}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Forecast each row (csv-forecast models) or classify each sequence (csv-classify models) of a "
                + "CSV file.")
final class PredictCommand implements Callable<Integer> {

    @Mixin
    BackendOption backendOption = new BackendOption();

    @Option(names = "--model", required = true, description = "A model folder trained with --task csv-forecast, "
            + "csv-classify or series-forecast.")
    Path modelDir;

    @Option(names = "--csv", required = true, description = "A CSV file with the model's columns (and time column).")
    Path csv;

    @Option(names = "--out", required = true, description = "The CSV file to write: time,actual,prediction "
            + "(forecasts) or id,class,p_CLASS... (classes).")
    Path out;

    @Option(names = "--future", defaultValue = "0", description = "Also forecast K rows past the end of the file, "
            + "feeding each forecast back as the next input (models with no --features and --horizon 1).")
    int future;

    @Override
    public Integer call() throws IOException {
        SavedModel saved = ModelStore.load(modelDir);
        String task = saved.info().has("task") ? saved.info().get("task").getAsString() : "(none)";
        if (task.equals(Tasks.CSV_CLASSIFY.name())) {
            return classify(saved);
        }
        if (task.equals(Tasks.SERIES_FORECAST.name())) {
            return forecastSeries(saved);
        }
        if (!task.equals(Tasks.CSV_FORECAST.name())) {
            throw new IllegalArgumentException("predict needs a model trained with --task csv-forecast, csv-classify or "
                    + "series-forecast; " + modelDir + " was trained on " + task);
        }
        CsvForecast.Config config = Tasks.CSV_FORECAST.fromJson(saved.info().getAsJsonObject("data"));
        CsvForecast.Problem problem = CsvForecast.forecastRows(config, csv); // every file problem before any work
        if (future < 0) {
            throw new IllegalArgumentException("--future must be >= 0, got " + future);
        }
        double[] history = problem.series().column(config.target()).clone();
        if (future > 0) {
            problem.nextInput(history); // refuses a model or file that cannot be rolled forward
        }
        Path folder = out.toAbsolutePath().getParent();
        AtomicFiles.requireWritableFolder(folder);
        int[] rows = problem.targets()[2];
        double[] forecasts;
        double[] ahead = new double[future];
        try (Model model = backendOption.start(EnumSet.noneOf(Capability.class)).newModel(saved.spec(),
                saved.parameters())) {
            forecasts = problem.forecast(model, rows);
            for (int k = 0; k < future; k++) {
                double output = model.forward(problem.nextInput(history)).get(0, 0, 0);
                ahead[k] = problem.nextForecast(history, output);
                history = java.util.Arrays.copyOf(history, history.length + 1);
                history[history.length - 1] = ahead[k];
            }
        }
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader("time", "actual",
                "prediction").get())) {
            for (int i = 0; i < rows.length; i++) {
                double actual = problem.target(rows[i]);
                printer.printRecord(problem.series().times()[rows[i]], Double.isNaN(actual) ? "" : actual, forecasts[i]);
            }
            String[] times = problem.series().times();
            for (int k = 0; k < future; k++) {
                printer.printRecord(futureTime(times, k + 1), "", ahead[k]);
            }
        }
        AtomicFiles.writeString(out, text.toString());
        System.out.println("wrote " + rows.length + " forecasts of " + config.target() + (future > 0 ? " and " + future
                + " past the end" : "") + " to " + out);
        return 0;
    }

    /**
     * Forecasts the H values after the end of every series of the file (the model's wide layout):
     * {@code id,step,forecast,lo95,hi95}, the interval calibrated on the model's validation windows (its training
     * file, named in its provenance).
     */
    private int forecastSeries(SavedModel saved) throws IOException {
        SeriesForecast.Config config = Tasks.SERIES_FORECAST.fromJson(saved.info().getAsJsonObject("data"));
        if (future != 0) {
            throw new IllegalArgumentException("--future is for csv-forecast models; a series-forecast model forecasts "
                    + config.horizon() + " steps at once");
        }
        SeriesForecast.Problem input = SeriesForecast.readForForecast(config, csv); // every file problem before work
        SeriesForecast.Problem training = SeriesForecast.read(config);
        AtomicFiles.requireWritableFolder(out.toAbsolutePath().getParent());
        double[][] f;
        double[][] q;
        try (Model model = dev.rnn4j.runs.TrainingRun.load(backendOption.start(EnumSet.noneOf(Capability.class)),
                modelDir, saved.spec(), saved.parameters())) {
            f = input.forecast(model);
            q = training.calibration(model);
        }
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader("id", "step", "forecast",
                "lo95", "hi95").get())) {
            for (int s = 0; s < f.length; s++) {
                double[][] band = SeriesForecast.band(config, input.history().get(s), f[s], q);
                for (int k = 0; k < config.horizon(); k++) {
                    printer.printRecord(input.ids().get(s), k + 1, f[s][k], band[0][k], band[1][k]);
                }
            }
        }
        AtomicFiles.writeString(out, text.toString());
        System.out.println("wrote " + config.horizon() + " forecasts with 95% intervals for each of " + f.length
                + " series to " + out);
        return 0;
    }

    /** Classifies every sequence of the file: {@code id,class,p_CLASS...}, in the file's order of sequences. */
    private int classify(SavedModel saved) throws IOException {
        CsvClassify.Config config = Tasks.CSV_CLASSIFY.fromJson(saved.info().getAsJsonObject("data"));
        if (future != 0) {
            throw new IllegalArgumentException("--future is for csv-forecast models; " + modelDir + " classifies");
        }
        List<CsvClassify.Rows> sequences = CsvClassify.readForModel(config, csv); // every file problem before any work
        AtomicFiles.requireWritableFolder(out.toAbsolutePath().getParent());
        double[][] p;
        try (Model model = backendOption.start(EnumSet.noneOf(Capability.class)).newModel(saved.spec(),
                saved.parameters())) {
            p = CsvClassify.probabilities(config, model, sequences);
        }
        List<String> header = new ArrayList<>(List.of("id", "class"));
        config.classes().forEach(c -> header.add("p_" + c));
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .get())) {
            for (int i = 0; i < sequences.size(); i++) {
                List<Object> row = new ArrayList<>(List.of(sequences.get(i).id(),
                        config.classes().get(CsvClassify.argmax(p[i]))));
                Arrays.stream(p[i]).forEach(row::add);
                printer.printRecord(row);
            }
        }
        AtomicFiles.writeString(out, text.toString());
        System.out.println("wrote the classes of " + sequences.size() + " sequences to " + out);
        return 0;
    }

    /**
     * The label of the {@code k}-th row past the end: the last label plus k steps when the labels are whole numbers
     * one step apart at the end (years, indices), else {@code +k}.
     */
    static String futureTime(String[] times, int k) {
        try {
            long last = Long.parseLong(times[times.length - 1]);
            long step = times.length > 1 ? last - Long.parseLong(times[times.length - 2]) : 1;
            return step > 0 ? String.valueOf(last + k * step) : "+" + k;
        } catch (NumberFormatException e) {
            return "+" + k;
        }
    }
}
