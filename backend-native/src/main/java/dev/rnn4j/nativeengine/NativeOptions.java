package dev.rnn4j.nativeengine;

import dev.rnn4j.config.Threads;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.Locale;

/**
 * How the native engine computes.
 *
 * @param kernels  {@code auto} (vector where available), {@code vector} or {@code scalar}
 * @param threads  how many threads large matrix products use (1: the calling thread only)
 */
public record NativeOptions(String kernels, int threads) {

    /**
     * From {@code rnn4j.native.kernels} (default auto) and {@code rnn4j.threads} (default: the cores;
     * {@code rnn4j.native.parallel=false} means 1).
     */
    public static NativeOptions fromSystemProperties() {
        boolean parallel = Boolean.parseBoolean(System.getProperty("rnn4j.native.parallel", "true"));
        return new NativeOptions(System.getProperty("rnn4j.native.kernels", "auto"), parallel ? Threads.configured() : 1);
    }

    /** The kernels this names. */
    public Kernels createKernels() {
        return switch (kernels.toLowerCase(Locale.ROOT)) {
            case "auto" -> Kernels.best();
            case "vector" -> Kernels.vector();
            case "scalar" -> Kernels.scalar();
            default -> throw new IllegalArgumentException("rnn4j.native.kernels must be auto, vector or scalar, got '"
                    + kernels + "'");
        };
    }
}
