package dev.rnn4j.nativeengine;

import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.Locale;

/**
 * How the native engine computes.
 *
 * @param kernels  {@code auto} (vector where available), {@code vector} or {@code scalar}
 * @param parallel whether large matrix products may use several cores
 */
public record NativeOptions(String kernels, boolean parallel) {

    /** From {@code rnn4j.native.kernels} (default auto) and {@code rnn4j.native.parallel} (default true). */
    public static NativeOptions fromSystemProperties() {
        return new NativeOptions(System.getProperty("rnn4j.native.kernels", "auto"),
                Boolean.parseBoolean(System.getProperty("rnn4j.native.parallel", "true")));
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
