package dev.rnn4j.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * One row of a sweep's results.
 *
 * @param id       the trial's id
 * @param settings the swept flags' values
 * @param seed     the training seed
 * @param metric   the task's reported metric's name ({@code test_accuracy}, {@code test_mse}...), empty when failed
 * @param value    its value (NaN when failed)
 * @param steps    optimizer steps taken
 * @param seconds  the trial's wall-clock seconds
 * @param status   {@link #OK} or {@link #FAILED}
 * @param error    the failure's one-line message, empty when ok
 * @param host     the host and Spark executor that ran it
 */
public record TrialResult(String id, Map<String, String> settings, long seed, String metric, double value, int steps,
                          double seconds, String status, String error, String host) implements Serializable {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    /** How the error of a trial Spark gave up on begins (its retries spent: executors lost), not the trial's own. */
    public static final String LOST = "Spark: ";

    static TrialResult failed(Trial t, String error, double seconds, String host) {
        return new TrialResult(t.id(), t.settings(), t.seed(), "", Double.NaN, 0, seconds, FAILED,
                error.replace('\n', ' '), host);
    }

    /** A trial Spark gave up on, with Spark's reason; {@code --resume} runs it again. */
    static TrialResult lost(Trial t, String sparkMessage, double seconds) {
        return failed(t, LOST + sparkMessage, seconds, "none");
    }

    /** Whether Spark gave up on this trial (rather than the trial failing by itself). */
    public boolean lost() {
        return !ok() && error.startsWith(LOST);
    }

    public boolean ok() {
        return status.equals(OK);
    }
}
