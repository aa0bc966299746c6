package dev.rnn4j.nativeengine;

import dev.rnn4j.config.Threads;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the native engine computes.
 *
 * @param kernels  {@code auto} (vector where available), {@code vector} or {@code scalar}
 * @param threads  how many threads large matrix products use (1: the calling thread only)
 */
public record NativeOptions(String kernels, int threads) {
    private static final Logger LOG = LoggerFactory.getLogger(NativeOptions.class);

    /**
     * From {@code rnn4j.native.kernels} (default auto) and {@code rnn4j.threads} (default: the cores;
     * {@code rnn4j.native.parallel=false} means 1).
     */
    public static NativeOptions fromSystemProperties() {
        boolean parallel = Boolean.parseBoolean(System.getProperty("rnn4j.native.parallel", "true"));
        return new NativeOptions(System.getProperty("rnn4j.native.kernels", "auto"), parallel ? Threads.configured() : 1);
    }

    /**
     * The warning for {@code auto} kernels that came out {@code scalar}: the JVM lacks the Vector API, and the native
     * engine runs an order of magnitude slower (13x on an LSTM 128 training step) without saying so otherwise.
     */
    static Optional<String> scalarFallbackWarning(String chosen) {
        return chosen.equals("scalar") ? Optional.of("native engine: the Vector API is not loaded, so it runs its scalar "
                + "kernels, about 10x slower; start the JVM with --add-modules jdk.incubator.vector") : Optional.empty();
    }

    /** The kernels this names; {@code auto} without the Vector API warns that it falls back to the scalar ones. */
    public Kernels createKernels() {
        return switch (kernels.toLowerCase(Locale.ROOT)) {
            case "auto" -> {
                Kernels k = Kernels.best();
                scalarFallbackWarning(k.name()).ifPresent(LOG::warn);
                yield k;
            }
            case "vector" -> Kernels.vector();
            case "scalar" -> Kernels.scalar();
            default -> throw new IllegalArgumentException("rnn4j.native.kernels must be auto, vector or scalar, got '"
                    + kernels + "'");
        };
    }
}
