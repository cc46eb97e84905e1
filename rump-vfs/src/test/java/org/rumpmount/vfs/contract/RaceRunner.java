package org.rumpmount.vfs.contract;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs racing workers until a deadline and reports what went wrong: a worker that threw, or a
 * worker still running long after the deadline (a deadlock or livelock), with a dump of every
 * worker's stack and the locks it waits for. The deadline bounds the work, not the checks: no
 * assertion here depends on how fast the machine is.
 */
public final class RaceRunner {

    /** One step of one worker; returns normally, or throws what the test counts as a failure. */
    @FunctionalInterface
    public interface Step {
        void run(int worker, SplittableRandom random, long iteration) throws Exception;
    }

    /** What a run ended with. */
    public record Outcome(List<String> failures, boolean hung, String threadDump, long iterations) {
        public boolean ok() {
            return failures.isEmpty() && !hung;
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            if (hung) {
                sb.append("workers did not finish within the bound after the deadline (deadlock?)\n").append(threadDump);
            }
            for (String f : failures) {
                sb.append(f).append('\n');
            }
            return sb.toString();
        }
    }

    private RaceRunner() {
    }

    /**
     * Starts {@code workers} threads that repeat {@code step} until {@code duration} has passed
     * (or {@code maxIterations} per worker), then waits at most {@code bound} for them.
     */
    public static Outcome run(String name, int workers, Duration duration, long maxIterations, Duration bound, long seed, Step step)
            throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(workers);
        long[] counts = new long[workers];
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed * 31 + id);
                long i = 0;
                try {
                    start.await();
                    for (; i < maxIterations && !stop.get() && System.nanoTime() < deadline; i++) {
                        step.run(id, random, i);
                    }
                } catch (Throwable e) {
                    java.io.StringWriter sw = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(sw));
                    failures.add(name + " worker " + id + " at iteration " + i + ": " + sw);
                    stop.set(true);
                } finally {
                    counts[id] = i;
                    done.countDown();
                }
            }, name + "-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        start.countDown();
        boolean finished = done.await(duration.toMillis() + bound.toMillis(), TimeUnit.MILLISECONDS);
        String dump = "";
        if (!finished) {
            stop.set(true);
            dump = dump(threads);
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return new Outcome(new ArrayList<>(failures), !finished, dump, total);
    }

    private static String dump(List<Thread> threads) {
        StringBuilder sb = new StringBuilder();
        long[] ids = threads.stream().filter(Thread::isAlive).mapToLong(Thread::getId).toArray();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().getThreadInfo(ids, true, true)) {
            if (info == null) {
                continue;
            }
            sb.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                sb.append(" waiting for ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                sb.append(" held by \"").append(info.getLockOwnerName()).append('"');
            }
            sb.append('\n');
            for (StackTraceElement e : info.getStackTrace()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        if (deadlocked != null) {
            sb.append("JVM reports ").append(deadlocked.length).append(" deadlocked thread(s)\n");
        }
        return sb.toString();
    }
}
