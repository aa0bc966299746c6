package dev.rnn4j.train;

/**
 * What a regression head is trained on (a classification head always trains on cross-entropy). Both are means over
 * the valid positions and outputs ({@link Losses}).
 */
public enum RegressionLoss {
    /** Squared error, {@code (y - t)^2}: forecasts the mean; PyTorch's {@code MSELoss}. */
    MSE("mse"),
    /**
     * Absolute error, {@code |y - t|}: forecasts the median, and weighs errors as MAE, MASE and sMAPE do; PyTorch's
     * {@code L1Loss}.
     */
    MAE("mae");

    private final String cliName;

    RegressionLoss(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line and in metrics: {@code mse} or {@code mae}. */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses {@code mse|mae}.
     *
     * @throws IllegalArgumentException naming the flag and the choices
     */
    public static RegressionLoss parse(String name) {
        for (RegressionLoss l : values()) {
            if (l.cliName.equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("Unknown --loss '" + name + "'. Expected mse or mae");
    }
}
