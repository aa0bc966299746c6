package dev.rnn4j.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The small real data sets this jar carries, copied from the repository's {@code data/} folder (each with a README
 * giving its source and licence): {@code timeseries/sunspots.csv}, {@code timeseries/nile.csv},
 * {@code text/tinyshakespeare.txt}, M4 Hourly ({@code m4/Hourly-train.csv}, {@code m4/Hourly-test.csv},
 * {@code m4/Hourly-published.csv}) and one PyTorch model's weights ({@code pytorch/function-shapes-lstm.safetensors}).
 * For programs that run without a checkout of rnn4j.
 *
 * <pre>{@code
 * Path csv = BundledData.file("timeseries/sunspots.csv").orElseThrow();
 * }</pre>
 */
public final class BundledData {
    private static final String ROOT = "/dev/rnn4j/datasets/data/";

    private BundledData() {
    }

    /**
     * The bundled file {@code relative} as a file on disk (copied once per JVM into a temporary folder, since the
     * readers take paths), or empty if this jar has no such file.
     */
    public static synchronized Optional<Path> file(String relative) {
        try (InputStream in = BundledData.class.getResourceAsStream(ROOT + relative)) {
            if (in == null) {
                return Optional.empty();
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "rnn4j-data-" + ProcessHandle.current().pid());
            Path target = dir.resolve(relative);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                dir.toFile().deleteOnExit(); // deleted in reverse order: the file, its folder, then this
                target.getParent().toFile().deleteOnExit();
                Path tmp = Files.createTempFile(target.getParent(), ".part", "");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                target.toFile().deleteOnExit();
            }
            return Optional.of(target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the bundled data file " + relative + ": " + e.getMessage(), e);
        }
    }
}
