package dev.rnn4j.train;

import dev.rnn4j.spi.TrainableModel;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows progress: a progress bar when standard output is a terminal, plain log lines otherwise
 * (every {@code logEvery} steps, at least every 30 seconds, and at every evaluation).
 */
public final class ProgressListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);

    private final String taskName;
    private final boolean terminal;
    private final int logEvery;
    private ProgressBar bar;
    private int maxSteps;
    private double smoothedLoss = Double.NaN;
    private long lastLogNanos;
    private String lastEval = "";

    /** A bar on a terminal ({@code System.console() != null}), log lines otherwise. */
    public ProgressListener(String taskName) {
        this(taskName, System.console() != null, 0);
    }

    /**
     * @param terminal whether to draw a bar
     * @param logEvery log a line every this many steps; 0 for about 20 lines per run
     */
    public ProgressListener(String taskName, boolean terminal, int logEvery) {
        this.taskName = taskName;
        this.terminal = terminal;
        this.logEvery = logEvery;
    }

    @Override
    public void onStart(TrainableModel model, int maxSteps) {
        this.maxSteps = maxSteps;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(taskName).setInitialMax(maxSteps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
        } else {
            LOG.info("{}: training {} {} for {}", taskName, model.spec().cell(), model.spec().hiddenSize(),
                    maxSteps == Integer.MAX_VALUE ? "the time limit" : "at most " + maxSteps + " steps");
        }
    }

    @Override
    public void onBudget(int maxSteps) {
        this.maxSteps = maxSteps;
        if (bar != null) {
            bar.maxHint(maxSteps);
        }
    }

    @Override
    public void onResume(TrainableModel model, TrainingState state) {
        if (bar != null) {
            bar.stepTo(state.step());
        } else {
            LOG.info("{}: resumed at step {}/{}", taskName, state.step(), maxSteps);
        }
    }

    @Override
    public void onStep(TrainableModel model, int step, double loss, double gradNorm) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.95 * smoothedLoss + 0.05 * loss;
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s", smoothedLoss, lastEval));
        } else {
            int every = logEvery > 0 ? logEvery : Math.max(1, maxSteps / 20);
            long now = System.nanoTime();
            // about 20 lines a run, and at least one every 30 seconds on long or time-limited runs
            if (step % every == 0 || step == 1 || now - lastLogNanos > 30_000_000_000L) {
                lastLogNanos = now;
                LOG.info(String.format(Locale.ROOT, "%s: step %d/%d loss %.5f grad-norm %.3f", taskName, step,
                        maxSteps, smoothedLoss, gradNorm));
            }
        }
    }

    @Override
    public void onEval(TrainableModel model, int step, Map<String, Double> metrics) {
        String text = metrics.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        if (bar != null) {
            lastEval = " | eval " + text;
        } else {
            LOG.info("{}: step {} eval {}", taskName, step, text);
        }
    }

    @Override
    public void onEnd(TrainableModel model, TrainingResult result) {
        if (bar != null) {
            bar.stepTo(result.steps());
            bar.close();
            bar = null;
        }
        LOG.info(String.format(Locale.ROOT, "%s: stopped after %d steps (%s) in %.1f s", taskName, result.steps(),
                result.stopReason(), result.seconds()));
    }
}
