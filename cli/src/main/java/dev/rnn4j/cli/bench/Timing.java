package dev.rnn4j.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Round-robin timing: every runner warms up for {@code warmupSeconds} and then for as long as the JIT compiler is busy
 * (below), then the runners take turns, one repeat each, {@code repeats} times, so that drift on a shared machine hits
 * all of them alike. The last warm-up window's time per iteration sets how many iterations make a repeat of about
 * {@code repeatSeconds}.
 *
 * <p>Why the JIT decides the end of the warm-up: the first configuration in a JVM compiles most of the engine's code,
 * and on two cores HotSpot's compiler threads then hold a core for seconds. Measured on an Intel Xeon (two cores, one
 * second windows): B's native training step took 1,095, 128, 5.4 and 3.0 ms in its first four seconds while the JIT
 * compiled for 1.6, 1.1, 1.1 and 0.7 s of each, with vector code not yet compiled allocating up to 400 MB per step;
 * then 1.56-1.72 ms with 47-88 ms of compilation per second. A fixed two-second warm-up timed B, run first, at 4-9 ms.
 * So the warm-up goes on in windows of {@code windowSeconds} (and at least {@link #WINDOW_ITERATIONS} iterations) until
 * {@link #QUIET_WINDOWS} in a row, the minimum warm-up counting as the first, in which the compiler took at most
 * {@link #QUIET_JIT_SHARE} of the time, up to {@code maxWarmupSeconds} in all; no warm-up asked for (0 s) is one
 * iteration. One quiet window was not enough: HotSpot adds a compilation's time when it ends, so a window during which
 * a long one ran could look quiet, and native's seven repeats still held up to a second of compiling (D's training
 * 0.26-0.96 s, B's 0.26-0.46 s in the fourteenth session's three runs).
 */
final class Timing {
    /** The share of a warm-up window's wall time the JIT may spend compiling for the window to count as warm. */
    static final double QUIET_JIT_SHARE = 0.1;
    /** Seconds per warm-up window after the minimum warm-up. */
    static final double WINDOW_SECONDS = 0.5;
    /** Iterations per warm-up window at least (D's training step takes a quarter of a second). */
    static final int WINDOW_ITERATIONS = 4;
    /** Quiet windows in a row that end the warm-up. */
    static final int QUIET_WINDOWS = 2;
    /** The longest warm-up, JIT busy or not. */
    static final double MAX_WARMUP_SECONDS = 60;

    private final double warmupSeconds;
    private final double repeatSeconds;
    private final int repeats;
    private final double windowSeconds;
    private final double maxWarmupSeconds;
    private final LongSupplier compileMillis;

    /**
     * One runner's times.
     *
     * @param backend       engine
     * @param mode          train or infer
     * @param msPerRepeat   milliseconds per iteration, one value per repeat
     * @param allocPerIter  bytes allocated per iteration by all threads (median over repeats), or -1 if not measured
     * @param peakHeap      largest heap in use during its repeats, or -1 if not measured
     * @param warmupSeconds how long it warmed up (the minimum, and longer while the JIT was busy)
     * @param jitMillis     milliseconds the JIT compiled (any code in the JVM) during its repeats
     */
    record Times(String backend, String mode, double[] msPerRepeat, long allocPerIter, long peakHeap,
                 double warmupSeconds, long jitMillis) {
        double median() {
            double[] s = msPerRepeat.clone();
            Arrays.sort(s);
            return medianOfSorted(s);
        }

        double min() {
            return Arrays.stream(msPerRepeat).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(msPerRepeat).max().orElse(Double.NaN);
        }

        /**
         * This runner's time as a multiple of {@code base}'s, repeat by repeat: repeat k of both ran within seconds of
         * each other (the round robin), so a slow phase of a shared machine that lasts a minute slows both and cancels
         * in their ratio, where it moves the ratio of the two medians.
         */
        Ratio pairedWith(Times base) {
            int n = Math.min(msPerRepeat.length, base.msPerRepeat.length);
            double[] r = new double[n];
            for (int k = 0; k < n; k++) {
                r[k] = msPerRepeat[k] / base.msPerRepeat[k];
            }
            Arrays.sort(r);
            return new Ratio(medianOfSorted(r), r[0], r[n - 1]);
        }
    }

    /** Per-repeat ratios of two runners' times: their median, smallest and largest. */
    record Ratio(double median, double min, double max) {
    }

    private static double medianOfSorted(double[] s) {
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    Timing(double warmupSeconds, double repeatSeconds, int repeats) {
        this(warmupSeconds, repeatSeconds, repeats, WINDOW_SECONDS, MAX_WARMUP_SECONDS, Timing::jitMillis);
    }

    /** With the warm-up's window, its cap and the JIT's compile-time clock given (tests). */
    Timing(double warmupSeconds, double repeatSeconds, int repeats, double windowSeconds, double maxWarmupSeconds,
           LongSupplier compileMillis) {
        this.warmupSeconds = warmupSeconds;
        this.repeatSeconds = repeatSeconds;
        this.repeats = repeats;
        this.windowSeconds = windowSeconds;
        this.maxWarmupSeconds = maxWarmupSeconds;
        this.compileMillis = compileMillis;
    }

    /**
     * Times every runner; {@code progress} hears a line per phase, {@code failed} a line for each runner that throws
     * while warming up (it is left out).
     */
    List<Times> time(List<Runner> all, Consumer<String> progress, Consumer<String> failed) {
        List<Warmed> warmed = new ArrayList<>();
        for (Runner runner : all) {
            progress.accept("warming up " + runner.backend() + " " + runner.mode());
            try {
                warmed.add(warmUp(runner, progress));
            } catch (RuntimeException e) {
                failed.accept(runner.backend() + " " + runner.mode() + ": left out (" + e.getMessage() + ")");
            }
        }
        List<Runner> runners = warmed.stream().map(Warmed::runner).toList();
        int[] iterations = warmed.stream().mapToInt(Warmed::iterations).toArray();
        double[][] ms = new double[runners.size()][repeats];
        long[][] alloc = new long[runners.size()][repeats];
        long[] peak = new long[runners.size()];
        long[] jit = new long[runners.size()];
        for (int k = 0; k < repeats; k++) {
            progress.accept("repeat " + (k + 1) + " of " + repeats);
            for (int r = 0; r < runners.size(); r++) {
                Runner runner = runners.get(r);
                boolean memory = runner.measureAllocation();
                if (memory) {
                    resetPeakHeap();
                }
                long bytes = memory ? allocatedBytes() : 0;
                long compiled = compileMillis.getAsLong();
                long t0 = System.nanoTime();
                for (int i = 0; i < iterations[r]; i++) {
                    runner.run();
                }
                ms[r][k] = (System.nanoTime() - t0) / 1e6 / iterations[r];
                jit[r] += compileMillis.getAsLong() - compiled;
                if (memory) {
                    alloc[r][k] = (allocatedBytes() - bytes) / iterations[r];
                    peak[r] = Math.max(peak[r], peakHeap());
                }
            }
        }
        List<Times> out = new ArrayList<>();
        for (int r = 0; r < runners.size(); r++) {
            Runner runner = runners.get(r);
            long[] a = alloc[r].clone();
            Arrays.sort(a);
            out.add(new Times(runner.backend(), runner.mode(), ms[r], runner.measureAllocation() ? a[a.length / 2] : -1,
                    runner.measureAllocation() ? peak[r] : -1, warmed.get(r).seconds(), jit[r]));
        }
        return out;
    }

    /** A runner after its warm-up: iterations per repeat (from the last window's pace), and the warm-up's seconds. */
    private record Warmed(Runner runner, int iterations, double seconds) {
    }

    /**
     * Runs {@code runner} for the minimum warm-up and then, unless no warm-up was asked for, in windows until
     * {@link #QUIET_WINDOWS} in a row in which the JIT compiler was mostly idle.
     */
    private Warmed warmUp(Runner runner, Consumer<String> progress) {
        long start = System.nanoTime();
        Window last = window(runner, warmupSeconds, 1);
        int quiet = last.jitShare() > QUIET_JIT_SHARE ? 0 : 1;
        while (warmupSeconds > 0 && quiet < QUIET_WINDOWS && (System.nanoTime() - start) / 1e9 < maxWarmupSeconds) {
            last = window(runner, windowSeconds, WINDOW_ITERATIONS);
            quiet = last.jitShare() > QUIET_JIT_SHARE ? 0 : quiet + 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (last.jitShare() > QUIET_JIT_SHARE) {
            progress.accept(String.format(Locale.ROOT, "%s %s: the JIT still compiling after %.0f s of warm-up",
                    runner.backend(), runner.mode(), seconds));
        }
        return new Warmed(runner, (int) Math.max(1, Math.round(repeatSeconds / last.secondsPerIteration())), seconds);
    }

    /** One warm-up window: seconds per iteration, and the share of its wall time the JIT spent compiling. */
    private record Window(double secondsPerIteration, double jitShare) {
    }

    private Window window(Runner runner, double minSeconds, int minIterations) {
        long compiled = compileMillis.getAsLong();
        long t0 = System.nanoTime();
        int count = runFor(runner, minSeconds, minIterations);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Window(seconds / count, (compileMillis.getAsLong() - compiled) / 1e3 / seconds);
    }

    /** Runs {@code runner} at least {@code iterations} times and until {@code seconds} have passed; returns the count. */
    private static int runFor(Runner runner, double seconds, int iterations) {
        long start = System.nanoTime();
        int count = 0;
        do {
            runner.run();
            count++;
        } while (count < iterations || System.nanoTime() - start < seconds * 1e9);
        return count;
    }

    /** Milliseconds HotSpot's compiler threads have spent so far (all of them together); 0 where not measured. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Bytes allocated so far by every live thread (HotSpot's per-thread counters). */
    static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
