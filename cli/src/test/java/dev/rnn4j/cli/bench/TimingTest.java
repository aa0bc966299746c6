package dev.rnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bench's ratios: a slow phase that hits both engines' repeat k cancels in the paired ratio. */
class TimingTest {
    private static Timing.Times times(String backend, double... ms) {
        return new Timing.Times(backend, "train", ms, -1, -1);
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
}
