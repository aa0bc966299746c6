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
}
