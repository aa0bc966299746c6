package dev.rnn4j.cli.bench;

import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.nativeengine.kernels.Gemm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a bench ran on, as its header line and every {@code bench.json} record name it: ratios between engines
 * move with the processor (the same build was 1.2x ahead of ONNX Runtime on one machine and behind it on another),
 * so a measurement without its machine cannot be compared.
 *
 * @param cpu        the processor's model name with its family and model numbers where Linux reports them (e.g.
 *                   {@code "AMD EPYC (family 25, model 17)"}), else the architecture
 * @param cores      processors the JVM sees
 * @param jvm        the JVM's name and version
 * @param oneDnnCap  {@code ONEDNN_MAX_CPU_ISA} as set for libtorch (the launcher caps it on AMD CPUs with AVX-512),
 *                   or null when oneDNN is not capped
 * @param gemmBlockRows rows of the native engine's packed blocks here ({@link Gemm#blockRowsHere}: 256 where the L1
 *                   data cache holds 48 KB, else 128), which move its products' speed
 * @param alignedPanels whether the native engine's panels start on cache lines here ({@link Buffers#ALIGNED_START}:
 *                   the JVM aligns objects to 64 bytes, as the launcher starts it), worth a tenth of its speed
 * @param hugePages  whether the JVM's heap is on transparent huge pages ({@link Buffers#HUGE_PAGES}: as the launcher
 *                   starts it on Linux where the kernel allows them), worth 6-11% of a large product's time
 */
public record Machine(String cpu, int cores, String jvm, String oneDnnCap, int gemmBlockRows, boolean alignedPanels,
                      boolean hugePages) {

    /** This machine. */
    public static Machine current() {
        return new Machine(cpu(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getenv("ONEDNN_MAX_CPU_ISA"), Gemm.blockRowsHere(), Buffers.ALIGNED_START > 0,
                Buffers.HUGE_PAGES);
    }

    /** The first processor's description in a Linux {@code cpuinfo} file, or the architecture without one. */
    static String cpu(Path cpuinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
        String name = field(lines, "model name");
        if (name == null) {
            return System.getProperty("os.arch");
        }
        String family = field(lines, "cpu family");
        String model = field(lines, "model");
        return family == null || model == null ? name
                : String.format(Locale.ROOT, "%s (family %s, model %s)", name, family, model);
    }

    /** The value of the first {@code key : value} line whose key is {@code key}, or null. */
    private static String field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** How the header line ends: cores, processor, JVM, oneDNN's cap, native's packed blocks and the heap's pages. */
    String describe() {
        return String.format(Locale.ROOT, "%d core(s), %s, %s, oneDNN %s, native GEMM blocks of %d rows%s, heap %s",
                cores, cpu, jvm, oneDnnCap == null ? "not capped" : "capped at " + oneDnnCap, gemmBlockRows,
                alignedPanels ? " on cache lines" : " (panels not aligned: start the JVM with "
                        + Buffers.ALIGNING_JVM_OPTION + ", as the launcher does)",
                hugePages ? "on huge pages" : "on small pages (on Linux, " + Buffers.HUGE_PAGES_JVM_OPTION
                        + " where the kernel allows them, as the launcher does)");
    }
}
