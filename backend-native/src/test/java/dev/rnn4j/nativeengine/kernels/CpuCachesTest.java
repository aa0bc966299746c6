package dev.rnn4j.nativeengine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The L1 data cache is read from Linux's description of the caches; anything else is unknown (0). */
class CpuCachesTest {
    @Test
    void findsTheLevelOneDataCacheAmongTheEntries(@TempDir Path dir) throws IOException {
        entry(dir, 0, "1", "Instruction", "32K");
        entry(dir, 1, "1", "Data", "48K");
        entry(dir, 2, "2", "Unified", "1280K");
        entry(dir, 3, "3", "Unified", "48M");
        assertEquals(48 * 1024, CpuCaches.read(dir, 1, "Data"));
        assertEquals(1280 * 1024, CpuCaches.read(dir, 2, "Unified"));
        assertEquals(48L * 1024 * 1024, CpuCaches.read(dir, 3, "Unified"));
    }

    @Test
    void missingOrMalformedEntriesAreUnknown(@TempDir Path dir) throws IOException {
        assertEquals(0, CpuCaches.read(dir.resolve("absent"), 1, "Data"));
        entry(dir, 0, "1", "Instruction", "32K");
        assertEquals(0, CpuCaches.read(dir, 1, "Data"), "no data cache listed");
        entry(dir, 1, "one", "Data", "48K");
        assertEquals(0, CpuCaches.read(dir, 1, "Data"), "a level that is not a number");
        assertEquals(0, CpuCaches.bytes("48KB"));
        assertEquals(0, CpuCaches.bytes(""));
        assertEquals(512, CpuCaches.bytes("512"));
        assertEquals(2L * 1024 * 1024, CpuCaches.bytes("2m"));
    }

    private static void entry(Path dir, int index, String level, String type, String size) throws IOException {
        Path e = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(e.resolve("level"), level + "\n");
        Files.writeString(e.resolve("type"), type + "\n");
        Files.writeString(e.resolve("size"), size + "\n");
    }
}
