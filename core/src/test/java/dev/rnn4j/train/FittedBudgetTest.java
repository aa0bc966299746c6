package dev.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The step budget an annealing schedule gets under a time limit: the steps that fit in the time left. */
class FittedBudgetTest {

    @Test
    void stepsThatFitInTheTimeLeft() {
        // 100 timed steps in 10 s (0.1 s each), 500 done, 60 s left: 97% of 600 more steps
        assertEquals(500 + 582, Trainer.fittedBudget(500, 100, 10_000_000_000L, 60_000_000_000L));
        // slower steps, fewer of them
        assertEquals(500 + 291, Trainer.fittedBudget(500, 100, 20_000_000_000L, 60_000_000_000L));
        // the time is up: nothing more
        assertEquals(500, Trainer.fittedBudget(500, 100, 10_000_000_000L, -5));
        // never past the int range
        assertEquals(Integer.MAX_VALUE, Trainer.fittedBudget(10, 1, 1, Long.MAX_VALUE));
    }
}
