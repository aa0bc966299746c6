package dev.rnn4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the rnn4j checkout is, for defaults that come from it (the {@code char-text} corpus of the project's own
 * sources, {@code ../shared} beside it): system property {@value #HOME_PROPERTY} (the {@code ./rnn4j} launcher sets
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

    /** {@code <checkout>/../shared/testdata/<relative>}, if it exists. */
    public static Optional<Path> sharedTestData(String relative) {
        return root().map(r -> r.resolveSibling("shared").resolve("testdata").resolve(relative)).filter(Files::exists);
    }

    private static boolean isCheckout(Path p) {
        return Files.isDirectory(p.resolve("core/src/main/java"));
    }
}
