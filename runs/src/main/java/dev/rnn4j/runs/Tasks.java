package dev.rnn4j.runs;

import dev.rnn4j.datasets.AddingTask;
import dev.rnn4j.datasets.CharTextTask;
import dev.rnn4j.datasets.CsvClassifyTask;
import dev.rnn4j.datasets.SeriesForecastTask;
import dev.rnn4j.datasets.CsvForecastTask;
import dev.rnn4j.datasets.FunctionShapesTask;
import dev.rnn4j.datasets.RememberFirstTask;
import dev.rnn4j.datasets.SineInverseTask;
import dev.rnn4j.datasets.Task;
import dev.rnn4j.datasets.TemporalOrderTask;
import dev.rnn4j.runs.Installation;
import java.util.List;

/** The tasks the command line and the examples know, by name; {@code char-text} reads rnn4j's own sources by default. */
public final class Tasks {
    public static final FunctionShapesTask FUNCTION_SHAPES = new FunctionShapesTask();
    public static final SineInverseTask SINE_INVERSE = new SineInverseTask();
    public static final RememberFirstTask REMEMBER_FIRST = new RememberFirstTask();
    public static final CharTextTask CHAR_TEXT = new CharTextTask(Installation::ownSources);
    public static final AddingTask ADDING = new AddingTask();
    public static final TemporalOrderTask TEMPORAL_ORDER = new TemporalOrderTask();
    public static final CsvForecastTask CSV_FORECAST = new CsvForecastTask();
    public static final CsvClassifyTask CSV_CLASSIFY = new CsvClassifyTask();
    public static final SeriesForecastTask SERIES_FORECAST = new SeriesForecastTask();

    private Tasks() {
    }

    /** Every task, in the order the command line lists them. */
    public static List<Task<?>> all() {
        return List.of(FUNCTION_SHAPES, SINE_INVERSE, REMEMBER_FIRST, CHAR_TEXT, ADDING, TEMPORAL_ORDER, CSV_FORECAST,
                CSV_CLASSIFY, SERIES_FORECAST);
    }

    public static List<String> names() {
        return all().stream().map(Task::name).toList();
    }

    /**
     * @throws IllegalArgumentException listing the known tasks
     */
    public static Task<?> get(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Unknown task '" + name + "'. Known tasks: " + String.join(", ", names())));
    }
}
