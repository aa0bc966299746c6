package dev.rnn4j.nativeengine.kernels;

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
 * ONNX Runtime's pool do, so the next loop of the same pass starts at once.
 *
 * <p>One job at a time: a call from inside a job, or while another thread's job runs, runs every part itself, in
 * order. Which thread runs a part never changes what the part computes.
 */
final class Team {
    /** How long an idle worker spins before it parks. */
    static final long SPIN_NANOS = 200_000;

    private final Worker[] workers;
    /** Held while a job runs; not reentrant, so a call from inside a part (on the caller's thread) runs alone. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The last job published; workers compare it with the last one they saw. */
    private volatile Job job;

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
            workers[w] = new Worker(w + 1);
            workers[w].start();
        }
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
            job = current;
            for (int w = 0; w < parts - 1; w++) {
                if (workers[w].parked) {
                    LockSupport.unpark(workers[w]);
                }
            }
            body.accept(0);
            while (current.pending.get() > 0) {
                Thread.onSpinWait();
            }
            Throwable t = current.failure;
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

    private final class Worker extends Thread {
        private final int part;
        volatile boolean parked;

        Worker(int part) {
            super("rnn4j-native-" + part);
            this.part = part;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null; // no job before the team existed: the first one may be published before this line runs
            while (true) {
                Job next = awaitNewJob(seen);
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

        /** Spins, then parks, until a job other than {@code seen} is published; returns it. */
        private Job awaitNewJob(Job seen) {
            long start = System.nanoTime();
            Job next;
            while ((next = job) == seen) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                // re-checked after announcing the park, so a job published meanwhile is never missed
                if (job == seen) {
                    LockSupport.park(this);
                }
                parked = false;
            }
            return next;
        }
    }
}
