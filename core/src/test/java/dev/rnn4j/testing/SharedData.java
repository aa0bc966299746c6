package dev.rnn4j.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test data from the project's {@code shared/} folder beside the repository, resolved from the repository
 * root (system property {@code rnn4j.repoRoot}, set by the build; else the working directory's parents).
 * Tests skip with a clear message when it is absent.
 */
public final class SharedData {

    private SharedData() {
    }

    /** {@code <repo>/../shared/testdata/<relative>}, or a skipped test if it does not exist. */
    public static Path require(String relative) {
        Path root = repoRoot();
        Path p = root.resolve("..").resolve("shared").resolve("testdata").resolve(relative).normalize();
        assumeTrue(Files.exists(p), "shared test data not found at " + p + " (expected ../shared beside the repo)");
        return p;
    }

    /** {@code <repo>/../shared/testdata/<relative>}, or null if it does not exist (for tests that use it if there). */
    public static Path find(String relative) {
        Path p = repoRoot().resolve("..").resolve("shared").resolve("testdata").resolve(relative).normalize();
        return Files.exists(p) ? p : null;
    }

    private static Path repoRoot() {
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
