package dev.rnn4j.cli;

import dev.rnn4j.runs.Backtest;
import dev.rnn4j.runs.TrainingRequest;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j backtest}: {@code train}'s flags for {@code --task series-forecast} plus {@code --origins K} and
 * {@code --retrain}; a rolling-origin evaluation ({@link Backtest}) whose figures are averaged over the origins.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rolling-origin evaluation of a series-forecast model: forecast H ahead from each of K origins, "
                + "H apart, the last H before each series' end; the task's figures at each origin and their means "
                + "(OUT/backtest.json, OUT/backtest.png).")
final class BacktestCommand extends TrainCommand {

    @Option(names = "--origins", defaultValue = "3", description = "K origins (default: ${DEFAULT-VALUE}).")
    int origins;

    @Option(names = "--retrain", description = "Train anew at each origin on what precedes it (default: train once, "
            + "on what precedes the first origin, and forecast from every origin with that model).")
    boolean retrain;

    @Override
    java.util.Set<String> ownFlags() {
        return java.util.Set.of("origins", "retrain");
    }

    @Override
    public Integer call() throws Exception {
        backendOption.applyDevice();
        TrainingRequest request = request();
        backendOption.checkDevice(request.backend());
        Backtest backtest = new Backtest(request, origins, retrain); // every check before any work
        Backtest.Result r = backtest.run(System.out::println);
        System.out.printf(Locale.ROOT, "backtest over %d origins (%d series%s, %s)%s; per origin in %s%n", origins,
                r.series().size(), r.skipped().isEmpty() ? "" : ", " + r.skipped().size() + " too short skipped",
                retrain ? "trained anew at each" : "trained before the first",
                request.data().task().summary(r.mean()), request.out().resolve("backtest.json"));
        return 0;
    }
}
