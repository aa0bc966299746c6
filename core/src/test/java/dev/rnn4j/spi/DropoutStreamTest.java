package dev.rnn4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Drawing by index gives the JDK stream's values, in its order: engines that draw in parallel match the others. */
class DropoutStreamTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "42, 7", "-3, 123456789"})
    void drawByIndexIsTheSplittableRandomStream(long seed, long pass) {
        long streamSeed = DropoutStream.passSeed(seed, pass);
        SplittableRandom sequential = DropoutStream.forPass(seed, pass);
        for (int i = 0; i < 100_000; i++) {
            assertEquals(sequential.nextDouble(), DropoutStream.draw(streamSeed, i), 0.0, "draw " + i);
        }
        DropoutStream stream = new DropoutStream(seed);
        stream.seek(pass);
        assertEquals(streamSeed, stream.nextPassSeed());
        assertEquals(pass + 1, stream.passes());
    }

    /** The branch-free mask value is {@code nextDouble() < keep ? 1 / keep : 0} of the same draw, at any keep. */
    @ParameterizedTest
    @CsvSource({"0.1", "0.5", "0.8", "0.999", "1.0"})
    void maskValueIsTheDrawComparedWithKeep(float keep) {
        long threshold = DropoutStream.keepThreshold(keep);
        SplittableRandom doubles = new SplittableRandom(11);
        SplittableRandom longs = new SplittableRandom(11);
        int kept = 0;
        for (int i = 0; i < 100_000; i++) {
            float expected = doubles.nextDouble() < keep ? 1f / keep : 0f;
            float actual = DropoutStream.maskValue(longs.nextLong(), threshold, 1f / keep);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), "draw " + i);
            kept += actual != 0f ? 1 : 0;
        }
        assertEquals(keep * 100_000, kept, 1_000, "kept");
    }

    /** At the boundary: a draw exactly at keep is dropped, the one just below it kept. */
    @org.junit.jupiter.api.Test
    void aDrawAtKeepIsDropped() {
        float keep = 0.75f; // 0.75 * 2^53 is an integer: a draw can equal keep exactly
        long threshold = DropoutStream.keepThreshold(keep);
        assertEquals(0f, DropoutStream.maskValue(threshold << 11, threshold, 2f));
        assertEquals(2f, DropoutStream.maskValue((threshold - 1) << 11, threshold, 2f));
    }
}
