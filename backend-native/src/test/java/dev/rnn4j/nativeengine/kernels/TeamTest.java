package dev.rnn4j.nativeengine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's worker team: every part exactly once per call, whatever the mix of calls. Every test runs under a
 * watchdog on a thread of its own ({@code SEPARATE_THREAD}): a deadlocked or spinning team, which ignores interrupts,
 * fails the test after 60 s instead of hanging the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TeamTest {

    /** 20,000 calls with 1, 2 or 3 parts in turn, some after a pause long enough for the workers to park. */
    @Test
    void everyPartRunsExactlyOncePerCall() throws InterruptedException {
        Team team = new Team(3);
        int calls = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(calls * 3);
        for (int c = 0; c < calls; c++) {
            int call = c;
            int parts = 1 + c % 3;
            team.run(parts, p -> runs.incrementAndGet(call * 3 + p));
            if (c % 5_000 == 0) {
                Thread.sleep(5); // longer than the spin: the next call must wake parked workers
            }
        }
        for (int c = 0; c < calls; c++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(p < 1 + c % 3 ? 1 : 0, runs.get(c * 3 + p), "call " + c + ", part " + p);
            }
        }
    }

    @Test
    void aFailingPartFailsTheCallAndTheTeamGoesOn() {
        Team team = new Team(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(2, p -> {
            if (p == 1) {
                throw new IllegalStateException("part 1 failed");
            }
        }));
        assertEquals("part 1 failed", e.getMessage());
        int[] seen = new int[2];
        team.run(2, p -> seen[p]++);
        assertArrayEquals(new int[] {1, 1}, seen);
    }

    /**
     * A call from inside a part, or from a second thread while a call runs, runs its parts itself. Run on a thread of
     * its own with a deadline: a team that loses a job spins forever, and a spinning thread ignores interrupts.
     */
    @Test
    void nestedAndConcurrentCallsComplete() throws InterruptedException {
        Team team = new Team(2);
        AtomicIntegerArray inner = new AtomicIntegerArray(4);
        AtomicIntegerArray counts = new AtomicIntegerArray(2);
        Runnable caller = () -> {
            for (int c = 0; c < 5_000; c++) {
                team.run(2, p -> counts.incrementAndGet(p));
            }
        };
        Thread test = new Thread(() -> {
            for (int c = 0; c < 2_000; c++) {
                team.run(2, p -> team.run(2, q -> inner.incrementAndGet(p * 2 + q)));
            }
            Thread other = new Thread(caller);
            other.start();
            caller.run();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        test.setDaemon(true);
        test.start();
        test.join(30_000);
        assertFalse(test.isAlive(), "nested or concurrent calls hung");
        for (int i = 0; i < 4; i++) {
            assertEquals(2_000, inner.get(i));
        }
        assertEquals(10_000, counts.get(0));
        assertEquals(10_000, counts.get(1));
    }

    /** A team nobody holds any more lets its workers go (its Cleaner closes the board). */
    @Test
    void workersEndWhenTheTeamIsUnreachable() throws InterruptedException {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        Team team = new Team(3);
        team.run(3, p -> { });
        java.util.List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rnn4j-native-") && !before.contains(t)).toList();
        assertEquals(2, workers.size(), "the team's two workers");
        team = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (workers.stream().filter(Thread::isAlive).count() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, workers.stream().filter(Thread::isAlive).count(), "worker threads still running");
    }
}
