package dev.rnn4j.nativeengine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where packed panels start: on a cache line when the JVM aligns objects to 64 bytes, else at index 0. */
class BuffersTest {

    @Test
    void theFirstCacheLineFollowsTheObjectAlignmentAndTheArrayHeader() {
        assertEquals(12, Buffers.alignedStart(64, 16)); // HotSpot's float[] header with compressed class pointers
        assertEquals(12, Buffers.alignedStart(128, 16));
        assertEquals(10, Buffers.alignedStart(64, 24)); // without them
        assertEquals(0, Buffers.alignedStart(64, 64));
        assertEquals(0, Buffers.alignedStart(8, 16)); // HotSpot's default: no index is known to lie on a line
        assertEquals(0, Buffers.alignedStart(32, 16));
        assertEquals(0, Buffers.alignedStart(64, -1)); // header size unknown
    }

    /** backend-native's tests run as the launcher starts the JVM, with the option (its pom); elsewhere index 0. */
    @Test
    void thisJvmsStartFollowsItsOption() {
        String alignment = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("ObjectAlignmentInBytes").getValue();
        assertEquals(Integer.parseInt(alignment) % 64 == 0 ? 12 : 0, Buffers.ALIGNED_START, "alignment " + alignment);
    }

    /** The kernel's setting names its current choice in brackets; only always and madvise give huge pages. */
    @Test
    void hugePagesNeedTheKernelsAlwaysOrMadvise(@TempDir Path dir) throws IOException {
        Path setting = dir.resolve("enabled");
        Files.writeString(setting, "always [madvise] never\n");
        assertTrue(Buffers.hugePagesAllowed(setting));
        Files.writeString(setting, "[always] madvise never\n");
        assertTrue(Buffers.hugePagesAllowed(setting));
        Files.writeString(setting, "always madvise [never]\n");
        assertFalse(Buffers.hugePagesAllowed(setting));
        assertFalse(Buffers.hugePagesAllowed(dir.resolve("missing")));
    }

    /**
     * On Linux backend-native's tests ask for huge pages as the launcher does (their pom): in effect where the
     * kernel allows them; not asked for (other systems), never.
     */
    @Test
    void hugePagesFollowTheOptionAndTheKernelsSetting() {
        boolean asked = ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains(Buffers.HUGE_PAGES_JVM_OPTION);
        boolean allowed = Buffers.hugePagesAllowed(Buffers.HUGE_PAGES_SETTING);
        assertEquals(asked && allowed, Buffers.HUGE_PAGES, "asked " + asked + ", kernel allows " + allowed);
    }

    /** A packed B's first block starts at the aligned index, each block a whole number of cache lines after it. */
    @Test
    void packedBlocksStartOnTheAlignedIndex() {
        Gemm gemm = new Gemm(Kernels.best(), 1);
        int k = 300;
        int n = 40;
        float[] b = new float[k * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = i + 1;
        }
        float[] data = gemm.pack(k, n, b, 0, n, 1).data();
        int start = Buffers.ALIGNED_START;
        assertEquals(b[0], data[start]); // B(0, 0)
        assertEquals(b[1], data[start + 1]); // B(0, 1)
        assertEquals(b[n], data[start + gemm.kernels().panelWidth()]); // B(1, 0)
        for (int i = 0; i < start; i++) {
            assertEquals(0f, data[i], "before the blocks");
        }
        assertEquals(0, gemm.blockRows() * gemm.kernels().panelWidth() % 16, "blocks of whole cache lines");
    }
}
