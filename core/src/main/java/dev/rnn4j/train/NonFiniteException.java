package dev.rnn4j.train;

/**
 * Training produced a NaN or infinite loss or gradient: the run stops at that step, before the update, so the
 * parameters and the last checkpoint are the last good ones. The command line exits with code 3.
 */
public final class NonFiniteException extends RuntimeException {
    private final String tensor;
    private final double value;
    private final int step;

    /**
     * @param tensor what was not finite: {@code "loss"} or a parameter's name (its gradient)
     * @param value  the offending value (NaN or an infinity), or the gradient norm
     * @param step   the 1-based training step, 0 when not known yet
     */
    public NonFiniteException(String tensor, double value, int step) {
        this(tensor, value, step, "");
    }

    private NonFiniteException(String tensor, double value, int step, String note) {
        super(message(tensor, value, step) + note);
        this.tensor = tensor;
        this.value = value;
        this.step = step;
    }

    private static String message(String tensor, double value, int step) {
        String what = tensor.equals("loss") ? "Training loss is " + value : "Gradient of " + tensor + " is " + value;
        return what + (step > 0 ? " at step " + step : "")
                + ": training diverged (try a smaller learning rate or --clip); parameters kept from the step before";
    }

    /** {@code "loss"}, or the parameter whose gradient was not finite. */
    public String tensor() {
        return tensor;
    }

    /** The 1-based training step, 0 when not known. */
    public int step() {
        return step;
    }

    /** The same failure, noting that it ended {@code skips} skipped batches in a row. */
    public NonFiniteException afterSkips(int skips) {
        return new NonFiniteException(tensor, value, step, " (" + skips + " batches in a row; "
                + "--on-nonfinite skip-batch gives up after " + Trainer.MAX_SKIPS_IN_A_ROW + ")");
    }

    /** The same failure, at {@code step}. */
    public NonFiniteException atStep(int step) {
        return new NonFiniteException(tensor, value, step);
    }
}
