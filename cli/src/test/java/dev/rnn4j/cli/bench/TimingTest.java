package dev.rnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bench's ratios (a slow phase that hits both engines' repeat k cancels in the paired ratio) and its warm-up (on
 * while the JIT compiles).
 */
class TimingTest {
    private static Timing.Times times(String backend, double... ms) {
        return new Timing.Times(backend, "train", ms, -1, -1, 0, 0);
    }

    @Test
    void pairedRatioTakesTheMedianOfRepeatByRepeatRatios() {
        // native and libtorch alike slowed 2x in repeats 2 and 3: libtorch is 1.5x native's time in every repeat
        Timing.Times nativeRow = times("native", 1, 2, 2, 1, 1);
        Timing.Times libtorch = times("libtorch", 1.5, 3, 3, 1.5, 1.5);
        Timing.Ratio paired = libtorch.pairedWith(nativeRow);
        assertEquals(1.5, paired.median(), 1e-12);
        assertEquals(1.5, paired.min(), 1e-12);
        assertEquals(1.5, paired.max(), 1e-12);
        // the medians agree here (1.5 / 1); a phase hitting one engine's repeats more than the other's moves them
        Timing.Times drifted = times("libtorch", 3, 3, 3, 1.5, 1.5); // repeat 1 slow for libtorch only
        assertEquals(3.0 / 1.0, drifted.median() / nativeRow.median(), 1e-12);
        Timing.Ratio r = drifted.pairedWith(nativeRow);
        assertEquals(1.5, r.median(), 1e-12);
        assertEquals(1.5, r.min(), 1e-12);
        assertEquals(3.0, r.max(), 1e-12);
    }

    @Test
    void evenRepeatCountsAverageTheMiddleTwo() {
        Timing.Ratio r = times("x", 2, 3, 8, 5).pairedWith(times("native", 1, 1, 2, 1));
        // ratios 2, 3, 4, 5
        assertEquals(3.5, r.median(), 1e-12);
        assertEquals(2, r.min(), 1e-12);
        assertEquals(5, r.max(), 1e-12);
    }

    /** A runner that takes about a millisecond per iteration and counts its iterations. */
    private static final class Sleeper implements Runner {
        int iterations;

        @Override
        public String backend() {
            return "native";
        }

        @Override
        public String mode() {
            return "train";
        }

        @Override
        public void run() {
            iterations++;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void warmUpGoesOnWhileTheJitCompilesAndStopsWhenItIsQuiet() {
        // a JIT clock that gains a second at each of its first 8 readings (busy), then stands still (quiet)
        AtomicLong reads = new AtomicLong();
        AtomicLong clock = new AtomicLong();
        Timing timing = new Timing(0.01, 0.01, 2, 0.02, 10, () -> reads.incrementAndGet() <= 8
                ? clock.addAndGet(1000) : clock.get());
        List<String> progress = new ArrayList<>();
        Timing.Times t = timing.time(List.of(new Sleeper()), progress::add, line -> { }).get(0);
        // each window reads the clock twice: the minimum warm-up and three windows are busy (readings 1-8), the next
        // two windows (9-12) quiet, which ends it; then two readings per repeat
        assertEquals(16, reads.get());
        assertTrue(t.warmupSeconds() >= 0.01 + 5 * 0.02, "warm-up " + t.warmupSeconds());
        assertTrue(t.warmupSeconds() < 5, "warm-up " + t.warmupSeconds());
        assertEquals(0, t.jitMillis()); // the clock stood still during the repeats
        assertEquals(2, t.msPerRepeat().length);
        assertTrue(progress.stream().noneMatch(l -> l.contains("still compiling")), progress.toString());
    }

    @Test
    void warmUpStopsAtItsCapWhenTheJitNeverRests() {
        AtomicLong clock = new AtomicLong();
        Timing timing = new Timing(0.01, 0.01, 1, 0.02, 0.1, () -> clock.addAndGet(1000));
        List<String> progress = new ArrayList<>();
        Timing.Times t = timing.time(List.of(new Sleeper()), progress::add, line -> { }).get(0);
        assertTrue(t.warmupSeconds() >= 0.1 && t.warmupSeconds() < 2, "warm-up " + t.warmupSeconds());
        assertTrue(t.jitMillis() >= 1000, "jit " + t.jitMillis()); // busy during the repeat too: recorded
        assertTrue(progress.stream().anyMatch(l -> l.equals("native train: the JIT still compiling after 0 s of warm-up")),
                progress.toString());
    }

    @Test
    void withAQuietJitTheWarmUpIsTheMinimumAndOneWindow() {
        Timing timing = new Timing(0.05, 0.01, 1, 0.02, 10, () -> 0);
        Timing.Times t = timing.time(List.of(new Sleeper()), line -> { }, line -> { }).get(0);
        assertTrue(t.warmupSeconds() >= 0.05 + 0.02 && t.warmupSeconds() < 2, "warm-up " + t.warmupSeconds());
    }

    @Test
    void aBusyWindowBetweenQuietOnesStartsTheCountAgain() {
        // readings in pairs per window: quiet minimum warm-up (1-2), busy (3-4), then quiet for good: the warm-up
        // needs two quiet windows after the busy one (5-8), then two readings per repeat
        AtomicLong reads = new AtomicLong();
        AtomicLong clock = new AtomicLong();
        Timing timing = new Timing(0.01, 0.01, 1, 0.02, 10, () -> {
            long n = reads.incrementAndGet();
            return n == 4 ? clock.addAndGet(1000) : clock.get();
        });
        Timing.Times t = timing.time(List.of(new Sleeper()), line -> { }, line -> { }).get(0);
        assertEquals(10, reads.get());
        assertTrue(t.warmupSeconds() >= 0.01 + 3 * 0.02, "warm-up " + t.warmupSeconds());
    }

    @Test
    void aWarmUpWindowRunsAtLeastItsIterations() {
        Sleeper runner = new Sleeper();
        Timing timing = new Timing(0.0001, 0.0001, 1, 0.0001, 10, () -> 0);
        timing.time(List.of(runner), line -> { }, line -> { });
        // the minimum warm-up's one iteration (its time passes in one), a window of WINDOW_ITERATIONS, one repeat
        assertEquals(1 + Timing.WINDOW_ITERATIONS + 1, runner.iterations);
    }

    @Test
    void noWarmUpAskedForIsOneIterationEvenWithTheJitBusy() {
        AtomicLong clock = new AtomicLong();
        Timing timing = new Timing(0, 0.001, 1, 0.02, 10, () -> clock.addAndGet(1000));
        Sleeper runner = new Sleeper();
        timing.time(List.of(runner), line -> { }, line -> { });
        assertEquals(2, runner.iterations); // one to warm up, one repeat of one iteration
    }
}
