package dev.rnn4j.nativeengine.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU's cache sizes, as Linux describes them under {@code /sys/devices/system/cpu/cpu0/cache/index*}
 * ({@code level}, {@code type}, {@code size} such as {@code 48K}). Java has no API for them; OSHI reads the same files
 * on Linux, but brings JNA for one number. Elsewhere, or when the files cannot be read, sizes are unknown (0) and the
 * kernels keep their defaults.
 */
final class CpuCaches {
    private static final Path CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");
    private static final long L1_DATA = read(CACHES, 1, "Data");

    private CpuCaches() {
    }

    /** The first core's L1 data cache in bytes; 0 when unknown. */
    static long l1DataBytes() {
        return L1_DATA;
    }

    /** The size of the cache of {@code level} and {@code type} described under {@code dir}; 0 when none is. */
    static long read(Path dir, int level, String type) {
        for (int index = 0; index < 16; index++) {
            Path entry = dir.resolve("index" + index);
            try {
                if (!Files.isDirectory(entry)) {
                    return 0;
                }
                if (Integer.parseInt(Files.readString(entry.resolve("level")).trim()) == level
                        && Files.readString(entry.resolve("type")).trim().equalsIgnoreCase(type)) {
                    return bytes(Files.readString(entry.resolve("size")).trim());
                }
            } catch (IOException | RuntimeException e) {
                return 0; // unreadable or unexpected: unknown, the defaults apply
            }
        }
        return 0;
    }

    /** {@code "48K"} as 49152; {@code "2M"}, {@code "512"}; 0 for anything else. */
    static long bytes(String size) {
        String s = size.toUpperCase(Locale.ROOT);
        long unit = s.endsWith("K") ? 1024 : s.endsWith("M") ? 1024 * 1024 : 1;
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            return Math.max(0, Long.parseLong(digits) * unit);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
