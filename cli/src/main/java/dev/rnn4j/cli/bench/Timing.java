package dev.rnn4j.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Round-robin timing: every runner warms up for {@code warmupSeconds} (which also sets how many iterations make a
 * repeat of about {@code repeatSeconds}), then the runners take turns, one repeat each, {@code repeats} times, so that
 * drift on a shared machine hits all of them alike.
 */
final class Timing {
    private final double warmupSeconds;
    private final double repeatSeconds;
    private final int repeats;

    /**
     * One runner's times.
     *
     * @param backend       engine
     * @param mode          train or infer
     * @param msPerRepeat   milliseconds per iteration, one value per repeat
     * @param allocPerIter  bytes allocated per iteration by all threads (median over repeats), or -1 if not measured
     * @param peakHeap      largest heap in use during its repeats, or -1 if not measured
     */
    record Times(String backend, String mode, double[] msPerRepeat, long allocPerIter, long peakHeap) {
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
        this.warmupSeconds = warmupSeconds;
        this.repeatSeconds = repeatSeconds;
        this.repeats = repeats;
    }

    /**
     * Times every runner; {@code progress} hears a line per phase, {@code failed} a line for each runner that throws
     * while warming up (it is left out).
     */
    List<Times> time(List<Runner> all, Consumer<String> progress, Consumer<String> failed) {
        List<Runner> runners = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Runner runner : all) {
            progress.accept("warming up " + runner.backend() + " " + runner.mode());
            try {
                long start = System.nanoTime();
                int count = 0;
                do {
                    runner.run();
                    count++;
                } while (System.nanoTime() - start < warmupSeconds * 1e9);
                double perIteration = (System.nanoTime() - start) / 1e9 / count;
                counts.add((int) Math.max(1, Math.round(repeatSeconds / perIteration)));
                runners.add(runner);
            } catch (RuntimeException e) {
                failed.accept(runner.backend() + " " + runner.mode() + ": left out (" + e.getMessage() + ")");
            }
        }
        int[] iterations = counts.stream().mapToInt(Integer::intValue).toArray();
        double[][] ms = new double[runners.size()][repeats];
        long[][] alloc = new long[runners.size()][repeats];
        long[] peak = new long[runners.size()];
        for (int k = 0; k < repeats; k++) {
            progress.accept("repeat " + (k + 1) + " of " + repeats);
            for (int r = 0; r < runners.size(); r++) {
                Runner runner = runners.get(r);
                boolean memory = runner.measureAllocation();
                if (memory) {
                    resetPeakHeap();
                }
                long bytes = memory ? allocatedBytes() : 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < iterations[r]; i++) {
                    runner.run();
                }
                ms[r][k] = (System.nanoTime() - t0) / 1e6 / iterations[r];
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
                    runner.measureAllocation() ? peak[r] : -1));
        }
        return out;
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
