package dev.rnn4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkout is found from rnn4j.home wherever the process runs, and only a real checkout counts. */
class InstallationTest {
    private final String saved = System.getProperty(Installation.HOME_PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Installation.HOME_PROPERTY);
        } else {
            System.setProperty(Installation.HOME_PROPERTY, saved);
        }
    }

    @Test
    void homePropertyNamesTheCheckout(@TempDir Path elsewhere) {
        Path repo = Path.of(System.getProperty("rnn4j.repoRoot", "..")).toAbsolutePath().normalize();
        System.setProperty(Installation.HOME_PROPERTY, repo.toString());
        assertEquals(repo, Installation.root().orElseThrow().normalize());

        System.setProperty(Installation.HOME_PROPERTY, elsewhere.toString());
        assertTrue(Installation.root().isEmpty(), "a folder without rnn4j's sources is not a checkout");
    }
}
