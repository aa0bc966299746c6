package dev.rnn4j.cli.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.rnn4j.config.Backends;
import dev.rnn4j.config.Threads;
import dev.rnn4j.data.Batch;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j bench}: times training steps and inference batches of fixed configurations on several engines in one
 * JVM, round robin, and prints medians with their ratio to native; {@code --out} adds {@code bench.json}. The
 * {@code libtorch} row is the same configuration in plain DJL blocks, loss and Adam, with no rnn4j code in the step.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time training steps and inference on presets A-G (and a 1024^3 matmul) on several engines, as ratios to native.")
public final class BenchCommand implements Callable<Integer> {
    private static final List<String> ALL_CONFIGS = List.of("A", "B", "C", "D", "E1", "E2", "F", "G", "matmul");

    @Option(names = "--configs", defaultValue = "A,B,C,D,E1,E2,F,G,matmul", split = ",",
            description = "Presets: A, B, C, D, E1, E2, F, G (the M4 Hourly forecaster) and matmul (default: ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--backends", defaultValue = "native,libtorch,pytorch,tensorflow,onnxruntime", split = ",",
            description = "Engines; libtorch is plain DJL on libtorch (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = "--threads", description = "Threads for every engine (default: the number of cores).")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "2", description = "Seconds of warm-up per configuration, engine and "
            + "mode at least; it goes on while the JIT compiler is busy, up to 60 s; 0: one iteration (default: "
            + "${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--repeats", defaultValue = "7", description = "Timed repeats, taken in turns (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--repeat-seconds", defaultValue = "1", description = "Seconds per repeat (default: ${DEFAULT-VALUE}).")
    double repeatSeconds;

    @Option(names = "--out", description = "Write bench.json into this folder.")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<String> names = validate();
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        // one setting for every engine, before any of them starts
        System.setProperty(Threads.PROPERTY, Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Machine machine = Machine.current();
        System.out.printf(Locale.ROOT, "rnn4j bench: %d thread(s) for native, libtorch, pytorch and onnxruntime "
                + "(tensorflow: DJL sets no thread count); warm-up %.1f s and on while the JIT compiles, %d repeats of %.1f s, "
                + "round robin; "
                + "%s%n", n, warmup, repeats, repeatSeconds, machine.describe());
        Timing timing = new Timing(warmup, repeatSeconds, repeats);
        Map<String, Backend> started = new LinkedHashMap<>();
        JsonArray records = new JsonArray();
        for (String name : names) {
            if (name.equals("matmul")) {
                matmul(timing, n, records);
                continue;
            }
            BenchConfig config = BenchConfig.named(name);
            System.out.println();
            System.out.println(config.describe());
            List<Batch> batches = config.batches(4, 1);
            List<Runner> runners = new ArrayList<>();
            for (String b : backends) {
                runners.addAll(runners(b.trim(), config, batches, started));
            }
            List<Timing.Times> times = timing.time(runners, line -> System.err.println("  " + line),
                    line -> System.out.println("  " + line));
            runners.forEach(Runner::close);
            report(config.name(), times, n, records);
        }
        if (out != null) {
            for (JsonElement e : records) { // every record names its machine
                JsonObject r = e.getAsJsonObject();
                r.addProperty("cpu", machine.cpu());
                r.addProperty("cores", machine.cores());
                r.addProperty("jvm", machine.jvm());
                r.addProperty("onednn_max_cpu_isa", machine.oneDnnCap()); // null: not capped
                r.addProperty("native_gemm_block_rows", machine.gemmBlockRows());
                r.addProperty("native_aligned_panels", machine.alignedPanels());
                r.addProperty("native_huge_pages", machine.hugePages());
            }
            AtomicFiles.write(out.resolve("bench.json"), new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                    .toJson(records).getBytes(StandardCharsets.UTF_8));
            System.out.println("\nwrote " + out.resolve("bench.json"));
        }
        return 0;
    }

    /** Every name checked before any work. */
    private List<String> validate() {
        List<String> names = new ArrayList<>();
        for (String c : configs) {
            String name = c.trim();
            if (!ALL_CONFIGS.contains(name) && ALL_CONFIGS.stream().noneMatch(k -> k.equalsIgnoreCase(name))) {
                throw new IllegalArgumentException("--configs: unknown configuration '" + name + "'; known: "
                        + String.join(", ", ALL_CONFIGS));
            }
            names.add(name.equalsIgnoreCase("matmul") ? "matmul" : name.toUpperCase(Locale.ROOT));
        }
        List<String> known = new ArrayList<>(Backends.names());
        known.add("libtorch");
        for (String b : backends) {
            if (!known.contains(b.trim())) {
                throw new IllegalArgumentException("--backends: unknown engine '" + b.trim() + "'; known: "
                        + String.join(", ", known));
            }
        }
        if (threads != null && threads < 1 || repeats < 1 || warmup < 0 || repeatSeconds <= 0) {
            throw new IllegalArgumentException("--threads and --repeats must be >= 1, --warmup >= 0 and --repeat-seconds > 0");
        }
        return names;
    }

    /** The train and infer runners of one engine for one configuration; none (with a note) if it cannot start. */
    private static List<Runner> runners(String backend, BenchConfig config, List<Batch> batches, Map<String, Backend> started) {
        List<Runner> list = new ArrayList<>();
        try {
            if (backend.equals("libtorch")) {
                if (config.train()) {
                    list.add(new LibtorchRunner(config, true, batches));
                }
                list.add(new LibtorchRunner(config, false, batches));
                return list;
            }
            Backend engine = started.computeIfAbsent(backend, b -> Backends.create(b, EnumSet.noneOf(Capability.class)));
            if (config.train() && engine.capabilities().contains(Capability.TRAINING)) {
                list.add(new EngineRunner(engine, config, true, batches));
            }
            list.add(new EngineRunner(engine, config, false, batches));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            System.out.println("  " + backend + ": skipped (" + e.getMessage() + ")");
            list.forEach(Runner::close);
            return List.of();
        }
        return list;
    }

    private void matmul(Timing timing, int n, JsonArray records) {
        System.out.println();
        System.out.println("matmul: float32 " + Matmul.SIZE + "^3");
        List<Runner> runners = new ArrayList<>(List.of(Matmul.nativeGemm(n)));
        if (backends.stream().anyMatch(b -> b.trim().equals("libtorch") || b.trim().equals("pytorch"))) {
            runners.add(Matmul.libtorch());
        }
        List<Timing.Times> times = timing.time(runners, line -> System.err.println("  " + line),
                line -> System.out.println("  " + line));
        runners.forEach(Runner::close);
        for (Timing.Times t : times) {
            JsonObject r = record("matmul", t, n);
            r.addProperty("gflops", Matmul.gflops(t.median()));
            records.add(r);
            System.out.printf(Locale.ROOT, "  %-12s %8.2f ms  %6.1f GFLOP/s%n", t.backend(), t.median(),
                    Matmul.gflops(t.median()));
        }
    }

    /**
     * Prints the configuration's rows and adds their records. Two ratios to native: of the two medians, and
     * {@link Timing.Times#pairedWith paired} (the median of the repeat-by-repeat ratios, with their range), which a
     * slow phase of a shared machine moves less; when they differ much, the machine drifted during the run.
     */
    private static void report(String config, List<Timing.Times> times, int threads, JsonArray records) {
        Map<String, Timing.Times> natives = new LinkedHashMap<>();
        for (Timing.Times t : times) {
            if (t.backend().equals("native")) {
                natives.put(t.mode(), t);
            }
        }
        System.out.printf(Locale.ROOT, "  %-12s %-5s %10s %21s %9s %20s%n", "backend", "mode", "median ms", "min - max",
                "x native", "paired (range)");
        for (Timing.Times t : times) {
            Timing.Times base = natives.get(t.mode());
            Timing.Ratio paired = base == null ? null : t.pairedWith(base);
            System.out.printf(Locale.ROOT, "  %-12s %-5s %10.3f %10.3f - %-10.3f %9s %20s%s%n", t.backend(), t.mode(),
                    t.median(), t.min(), t.max(),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f", t.median() / base.median()),
                    paired == null ? "-" : String.format(Locale.ROOT, "%.2f (%.2f - %.2f)", paired.median(),
                            paired.min(), paired.max()),
                    t.allocPerIter() < 0 ? "" : String.format(Locale.ROOT, "   %,d bytes allocated per %s, peak heap %,d MB",
                            t.allocPerIter(), t.mode().equals("train") ? "step" : "batch", t.peakHeap() >> 20));
            JsonObject r = record(config, t, threads);
            if (paired != null) {
                r.addProperty("ratio_to_native", t.median() / base.median());
                r.addProperty("paired_ratio_to_native", paired.median());
                r.addProperty("paired_ratio_min", paired.min());
                r.addProperty("paired_ratio_max", paired.max());
            }
            if (t.allocPerIter() >= 0) {
                r.addProperty(t.mode().equals("train") ? "alloc_bytes_per_step" : "alloc_bytes_per_batch", t.allocPerIter());
                r.addProperty("peak_heap_bytes", t.peakHeap());
            }
            records.add(r);
        }
    }

    private static JsonObject record(String config, Timing.Times t, int threads) {
        JsonObject r = new JsonObject();
        r.addProperty("config", config);
        r.addProperty("backend", t.backend());
        r.addProperty("mode", t.mode());
        r.addProperty("threads", threads);
        r.addProperty("median_ms", t.median());
        r.addProperty("min_ms", t.min());
        r.addProperty("max_ms", t.max());
        r.addProperty("repeats", t.msPerRepeat().length);
        JsonArray each = new JsonArray();
        for (double ms : t.msPerRepeat()) {
            each.add(ms);
        }
        r.add("ms_per_repeat", each); // in the round robin's order: repeat k of every row ran within seconds
        r.addProperty("warmup_s", t.warmupSeconds());
        r.addProperty("jit_ms_in_repeats", t.jitMillis()); // compiling steals a core from the timed code
        return r;
    }
}
