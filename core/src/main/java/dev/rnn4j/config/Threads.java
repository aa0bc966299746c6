package dev.rnn4j.config;

/**
 * How many threads an engine may use for one model: system property {@value #PROPERTY}, else the number of cores.
 * Engines read it when they start (native: its matrix products; ONNX Runtime: intra-op threads; PyTorch: libtorch's
 * intra-op threads, unless {@code ai.djl.pytorch.num_threads} is set). Results never depend on it.
 */
public final class Threads {
    public static final String PROPERTY = "rnn4j.threads";

    private Threads() {
    }

    /**
     * The configured thread count.
     *
     * @throws IllegalArgumentException if the property is not a whole number >= 1
     */
    public static int configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PROPERTY + " must be a whole number >= 1, got '" + v + "'");
    }
}
