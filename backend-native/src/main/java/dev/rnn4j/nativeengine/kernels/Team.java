package dev.rnn4j.nativeengine.kernels;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads for the engine's parallel loops: {@code run(parts, body)} runs {@code body(0)} on the
 * calling thread and {@code body(1 .. parts-1)} on the team's workers, and returns when all are done.
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: a recurrent layer runs two short parallel loops per time
 * step (the recurrent product and the gates), some 400 per forward pass of a 2-layer, 100-step model, each a few
 * hundred microseconds. Waking a parked pool thread costs tens of microseconds each time, which was a third of
 * the second core's time. These workers spin (for {@link #SPIN_NANOS}) before they park, as OpenMP runtimes and
 * ONNX Runtime's pool do, so the next loop of the same pass starts at once. The caller, waiting for the workers to
 * finish, spins as long and then yields: with more busy threads than cores (two trainings side by side on two cores)
 * a worker may be off every core, and a caller spinning on through its time slice kept it off (docs/speed.md).
 *
 * <p>One job at a time: a call from inside a job, or while another thread's job runs, runs every part itself, in
 * order. Which thread runs a part never changes what the part computes. The workers hold only the team's
 * {@link Board}, never the team: once the team is unreachable a {@link Cleaner} closes the board and they end.
 */
final class Team {
    /** How long an idle worker spins before it parks, and a waiting caller before it yields. */
    static final long SPIN_NANOS = 200_000;

    private static final Cleaner CLEANER = Cleaner.create();

    private final Worker[] workers;
    private final Board board = new Board();
    /** Held while a job runs; not reentrant, so a call from inside a part (on the caller's thread) runs alone. */
    private final AtomicBoolean busy = new AtomicBoolean();

    /** Where jobs are posted: the last job published (workers compare it with the last one they saw). */
    private static final class Board {
        volatile Job job;
        volatile boolean closed;
    }

    /** One call of {@link #run}: what to run, on how many parts, and how many workers have yet to finish. */
    private static final class Job {
        final IntConsumer body;
        final int parts;
        final AtomicInteger pending;
        volatile Throwable failure;

        Job(IntConsumer body, int parts) {
            this.body = body;
            this.parts = parts;
            this.pending = new AtomicInteger(parts - 1);
        }
    }

    /** A team of {@code threads - 1} workers besides the caller. */
    Team(int threads) {
        workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(board, w + 1);
            workers[w].start();
        }
        Board b = board;
        Worker[] ws = workers;
        CLEANER.register(this, () -> {
            b.closed = true;
            for (Worker w : ws) {
                LockSupport.unpark(w);
            }
        });
    }

    /** Runs {@code body(p)} for {@code p} in {@code [0, parts)}, in parallel when the team is free. */
    void run(int parts, IntConsumer body) {
        if (parts > workers.length + 1) {
            throw new IllegalArgumentException(parts + " parts for a team of " + (workers.length + 1));
        }
        if (parts < 2 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        try {
            Job current = new Job(body, parts);
            board.job = current;
            for (int w = 0; w < parts - 1; w++) {
                if (workers[w].parked) {
                    LockSupport.unpark(workers[w]);
                }
            }
            Throwable own = null;
            try {
                body.accept(0);
            } catch (RuntimeException | Error e) {
                own = e; // still wait: the workers' parts may be using the same arrays
            }
            long waiting = System.nanoTime();
            while (current.pending.get() > 0) {
                if (System.nanoTime() - waiting < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a worker still out of a core (more busy threads than cores): let it have this one
                }
            }
            Throwable t = own != null ? own : current.failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        } finally {
            busy.set(false);
        }
    }

    private static final class Worker extends Thread {
        private final Board board;
        private final int part;
        volatile boolean parked;

        Worker(Board board, int part) {
            super("rnn4j-native-" + part);
            this.board = board;
            this.part = part;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null; // no job before the team existed: the first one may be published before this line runs
            while (true) {
                Job next = awaitNewJob(seen);
                if (next == null) {
                    return; // the team is gone
                }
                seen = next;
                if (part < next.parts) {
                    try {
                        next.body.accept(part);
                    } catch (Throwable t) {
                        next.failure = t;
                    }
                    next.pending.decrementAndGet();
                }
            }
        }

        /** Spins, then parks, until a job other than {@code seen} is published; returns it, or null once closed. */
        private Job awaitNewJob(Job seen) {
            long start = System.nanoTime();
            Job next;
            while ((next = board.job) == seen) {
                if (board.closed) {
                    return null;
                }
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                // re-checked after announcing the park, so a job published meanwhile is never missed
                if (board.job == seen && !board.closed) {
                    LockSupport.park(this);
                }
                parked = false;
            }
            return next;
        }
    }
}
