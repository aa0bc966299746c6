package dev.rnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineTest {
    @Test
    void namesTheFirstProcessorWithItsFamilyAndModel(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, """
                processor\t: 0
                vendor_id\t: GenuineIntel
                cpu family\t: 6
                model\t\t: 207
                model name\t: INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz
                flags\t\t: fpu vme avx512f

                processor\t: 1
                model name\t: something else
                """);
        assertEquals("INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz (family 6, model 207)", Machine.cpu(cpuinfo));
    }

    @Test
    void fallsBackToTheArchitecture(@TempDir Path dir) throws IOException {
        assertEquals(System.getProperty("os.arch"), Machine.cpu(dir.resolve("missing")));
        Path noName = dir.resolve("cpuinfo");
        Files.writeString(noName, "processor\t: 0\nBogoMIPS\t: 50.00\n");
        assertEquals(System.getProperty("os.arch"), Machine.cpu(noName));
    }

    @Test
    void describesTheCapTheAlignmentAndThePages() {
        assertEquals("2 core(s), AMD EPYC (family 25, model 17), OpenJDK 17, oneDNN capped at AVX2, native GEMM blocks "
                + "of 128 rows on cache lines, heap on huge pages",
                new Machine("AMD EPYC (family 25, model 17)", 2, "OpenJDK 17", "AVX2", 128, true, true).describe());
        assertEquals("4 core(s), x, J, oneDNN not capped, native GEMM blocks of 256 rows (panels not aligned: start "
                + "the JVM with -XX:ObjectAlignmentInBytes=64, as the launcher does), heap on small pages (on Linux, "
                + "-XX:+UseTransparentHugePages where the kernel allows them, as the launcher does)",
                new Machine("x", 4, "J", null, 256, false, false).describe());
    }
}
