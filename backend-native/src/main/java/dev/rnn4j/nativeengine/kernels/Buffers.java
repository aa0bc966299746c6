package dev.rnn4j.nativeengine.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Work arrays kept from pass to pass: reused while the shapes stay the same. */
public final class Buffers {

    /**
     * The first index of a float array whose element lies on a 64-byte boundary, a cache line, when the JVM puts every
     * object on one ({@link #ALIGNING_JVM_OPTION}, as the launcher starts it); 0 otherwise, where no index is
     * known to (HotSpot's default alignment is 8 bytes, and the collector moves arrays). Packed panels and the lanes
     * pass's buffers start here, so that the micro-kernel's 64-byte loads of a panel never straddle two cache lines:
     * the 12 x 32 micro-kernel over a block in L1 ran at 158-170 GFLOP/s from aligned panels against 140-149 from
     * panels 16, 32 or 48 bytes off (Intel Xeon Ice Lake, one thread; docs/speed.md). Where the data lies never
     * changes a result.
     */
    public static final int ALIGNED_START = alignedStart(objectAlignment(), floatArrayBaseOffset());

    /**
     * The JVM option under which {@link #ALIGNED_START} is a cache line's index: the launcher, the native tests (their
     * pom), the JMH forks and a cluster sweep's executors start their JVMs with it.
     */
    public static final String ALIGNING_JVM_OPTION = "-XX:ObjectAlignmentInBytes=64";

    /**
     * The JVM option (HotSpot on Linux) that puts the heap on 2 MB pages where the kernel's transparent huge pages
     * allow it: a 1024^3 product's operands then take 6 TLB entries instead of 3,072, and it took 0.89-0.94x the time
     * (Intel Xeon, one and two threads; docs/speed.md). The launcher adds it where
     * {@code /sys/kernel/mm/transparent_hugepage/enabled} is {@code always} or {@code madvise}. Results are the same
     * bits.
     */
    public static final String HUGE_PAGES_JVM_OPTION = "-XX:+UseTransparentHugePages";

    /** Where Linux says whether transparent huge pages are used: {@code always}, {@code madvise} or {@code never}. */
    static final Path HUGE_PAGES_SETTING = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /**
     * Whether this JVM's heap is on transparent huge pages: {@link #HUGE_PAGES_JVM_OPTION} given, and the kernel's
     * setting {@code always} or {@code madvise} (Java 17 keeps the option on where the setting is {@code never}, and
     * then the kernel ignores it).
     */
    public static final boolean HUGE_PAGES = "true".equals(vmOption("UseTransparentHugePages", "false"))
            && hugePagesAllowed(HUGE_PAGES_SETTING);

    private Buffers() {
    }

    /** {@link #ALIGNED_START} for objects aligned to {@code objectAlignment} bytes, element 0 {@code baseOffset} in. */
    static int alignedStart(int objectAlignment, int baseOffset) {
        if (objectAlignment % 64 != 0 || baseOffset < 0 || baseOffset % Float.BYTES != 0) {
            return 0;
        }
        return (64 - baseOffset % 64) % 64 / Float.BYTES;
    }

    /** HotSpot's {@code ObjectAlignmentInBytes}, or 8 where the JVM does not say. */
    private static int objectAlignment() {
        try {
            return Integer.parseInt(vmOption("ObjectAlignmentInBytes", "8"));
        } catch (NumberFormatException e) {
            return 8;
        }
    }

    /**
     * Whether the kernel's transparent huge pages setting at {@code setting} (its current choice in brackets) is
     * {@code always} or {@code madvise}; false where it cannot be read (not Linux).
     */
    static boolean hugePagesAllowed(Path setting) {
        try {
            return Files.readString(setting).matches("(?s).*\\[(always|madvise)].*");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** HotSpot's option {@code name} as text, or {@code otherwise} where the JVM has no such option (or no HotSpot). */
    private static String vmOption(String name, String otherwise) {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return otherwise;
        }
    }

    /** Bytes from a float array's start to its element 0 ({@code sun.misc.Unsafe}'s constant), or -1 if unknown. */
    private static int floatArrayBaseOffset() {
        try {
            return Class.forName("sun.misc.Unsafe").getField("ARRAY_FLOAT_BASE_OFFSET").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /** {@code a} if it has exactly {@code size} floats, else a new (zeroed) array of that size. */
    public static float[] reuse(float[] a, int size) {
        return a != null && a.length == size ? a : new float[size];
    }

    /**
     * A work array kept in two sizes apart: for a pass that keeps every step (training: backward reads them again)
     * and for one that keeps only the latest steps (inference), so a training loop that validates now and then
     * reallocates neither.
     */
    public static final class TwoSizes {
        private float[] everyStep;
        private float[] latest;

        /** The array for a pass that keeps every step ({@code everyStep}) or not, with exactly {@code size} floats. */
        public float[] reuse(boolean everyStep, int size) {
            if (everyStep) {
                return this.everyStep = Buffers.reuse(this.everyStep, size);
            }
            return latest = Buffers.reuse(latest, size);
        }
    }
}
