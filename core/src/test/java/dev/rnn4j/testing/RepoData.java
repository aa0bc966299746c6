package dev.rnn4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data the repository carries in {@code data/} (one README per set with its source and licence), resolved from
 * the repository root (system property {@code rnn4j.repoRoot}, set by the build; else the nearest parent of the
 * working directory holding {@code .ci}). A missing file fails the test: a clone alone has every file.
 */
public final class RepoData {

    private RepoData() {
    }

    /**
     * {@code <repo>/data/<relative>}.
     *
     * @throws IllegalStateException if it does not exist
     */
    public static Path path(String relative) {
        Path p = root().resolve("data").resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalStateException("test data not found at " + p + " (the repository's data/ folder)");
        }
        return p;
    }

    /** The repository's root folder. */
    public static Path root() {
        String prop = System.getProperty("rnn4j.repoRoot");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve(".ci"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }
}
