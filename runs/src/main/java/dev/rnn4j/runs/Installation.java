package dev.rnn4j.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.rnn4j.datasets.BundledData;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the rnn4j checkout is, for defaults that come from it (the {@code char-text} corpus of the project's own
 * sources, the {@code data/} folder): system property {@value #HOME_PROPERTY} (the {@code ./rnn4j} launcher sets
 * it, so the command line works from any folder), else the working folder or the nearest parent holding
 * {@code core/src/main/java}.
 */
public final class Installation {
    public static final String HOME_PROPERTY = "rnn4j.home";

    private Installation() {
    }

    /** The checkout's root folder, if it can be found. */
    public static Optional<Path> root() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home).toAbsolutePath();
            return isCheckout(p) ? Optional.of(p) : Optional.empty();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !isCheckout(p)) {
            p = p.getParent();
        }
        return Optional.ofNullable(p);
    }

    /**
     * A file of the repository's {@code data/} folder: {@code <checkout>/data/<relative>}, else the copy the datasets
     * jar carries ({@link BundledData}).
     *
     * @throws IllegalStateException if neither has it
     */
    public static Path data(String relative) {
        return root().map(r -> r.resolve("data").resolve(relative)).filter(Files::isRegularFile)
                .or(() -> BundledData.file(relative))
                .orElseThrow(() -> new IllegalStateException("data/" + relative + " is neither in the rnn4j checkout "
                        + "nor in the rnn4j-datasets jar"));
    }

    /**
     * The project's Java sources ({@code src/main} of every module), concatenated in path order: the default corpus of
     * {@code char-text}.
     *
     * @throws IllegalArgumentException if the checkout is not found (the message says which flag to pass)
     */
    public static String ownSources() {
        Path root = root().orElseThrow(() -> new IllegalArgumentException("--text not given, and the default corpus "
                + "(rnn4j's own sources) is not found: pass --text FILE, or run through the ./rnn4j launcher (or with -D"
                + HOME_PROPERTY + "=<rnn4j checkout>)"));
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .sorted().toList();
            for (Path f : files) {
                sb.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the rnn4j sources under " + root + ": " + e.getMessage(), e);
        }
        return sb.toString();
    }

    private static boolean isCheckout(Path p) {
        return Files.isDirectory(p.resolve("core/src/main/java"));
    }
}
