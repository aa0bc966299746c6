package dev.rnn4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.config.Backends;
import dev.rnn4j.data.Batch;
import dev.rnn4j.examples.report.MetricsJson;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.TrainableModel;
import dev.rnn4j.train.GradientClipping;
import dev.rnn4j.train.Losses;
import dev.rnn4j.train.Optimizer;
import dev.rnn4j.train.OptimizerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j bench}: times one training step (forward, loss, backward, clipping, Adam) and one inference
 * forward for the same spec, seed and batches on several engines in one JVM, and reports each as a ratio to
 * the first engine. Timings on a shared machine are noisy: read the ratios, not the milliseconds.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compare engines' training-step and inference times on one model, as ratios.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--backends", defaultValue = "native,pytorch,tensorflow", split = ",",
            description = "Engines to compare; the first is the baseline (default: ${DEFAULT-VALUE}).")
    List<String> backends;

    @Option(names = "--cell", defaultValue = "lstm", description = "Cell (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--input", defaultValue = "8", description = "Input size (default: ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--length", defaultValue = "20", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--steps", defaultValue = "50", description = "Timed steps per engine (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--out", description = "Write bench.json into this folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        CellType c = CellType.parse(cell);
        ModelSpec.Builder sb = ModelSpec.builder().setCell(c).setInputSize(input).setHiddenSize(hidden)
                .optNumLayers(layers).setHead(HeadKind.REGRESSION, 1);
        if (c == CellType.MLP) {
            sb.optWindow(length);
        }
        ModelSpec spec = sb.build();
        Parameters params = Initializer.initialize(spec, 1);
        List<Batch> batches = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 8; k++) {
            float[] x = new float[batchSize * length * input];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            int[] lengths = new int[batchSize];
            java.util.Arrays.fill(lengths, length);
            float[] y = new float[batchSize];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) rng.nextDouble();
            }
            batches.add(new Batch(batchSize, length, input, x, lengths, 1, 1, y, null));
        }
        System.out.printf(Locale.ROOT, "%s, %d layer(s), H=%d, I=%d, N=%d, T=%d; %d timed steps after %d warm-up, %d core(s)%n",
                c.cliName(), layers, hidden, input, batchSize, length, steps, warmup, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-12s %14s %10s %14s %10s%n", "backend", "train ms/step", "ratio", "infer ms/batch", "ratio");
        JsonArray rows = new JsonArray();
        double baseTrain = Double.NaN;
        double baseInfer = Double.NaN;
        for (String name : backends) {
            Backend backend = Backends.create(name.trim(), EnumSet.noneOf(Capability.class));
            double train = Double.NaN;
            if (backend.capabilities().contains(Capability.TRAINING)) {
                try (TrainableModel model = backend.newTrainableModel(spec, params, 1)) {
                    Optimizer opt = OptimizerConfig.adam(1e-3f).create();
                    for (int k = 0; k < warmup; k++) {
                        trainStep(model, opt, batches.get(k % batches.size()));
                    }
                    long t0 = System.nanoTime();
                    for (int k = 0; k < steps; k++) {
                        trainStep(model, opt, batches.get(k % batches.size()));
                    }
                    train = (System.nanoTime() - t0) / 1e6 / steps;
                }
            }
            double infer;
            try (Model model = backend.newModel(spec, params)) {
                for (int k = 0; k < warmup; k++) {
                    model.forward(batches.get(k % batches.size()));
                }
                long t0 = System.nanoTime();
                for (int k = 0; k < steps; k++) {
                    model.forward(batches.get(k % batches.size()));
                }
                infer = (System.nanoTime() - t0) / 1e6 / steps;
            }
            if (Double.isNaN(baseInfer)) {
                baseTrain = train;
                baseInfer = infer;
            }
            System.out.printf(Locale.ROOT, "%-12s %14.3f %10.2f %14.3f %10.2f%n", backend.name(), train, train / baseTrain,
                    infer, infer / baseInfer);
            JsonObject row = new JsonObject();
            row.addProperty("backend", backend.name());
            row.addProperty("train_ms_per_step", train);
            row.addProperty("train_ratio", train / baseTrain);
            row.addProperty("infer_ms_per_batch", infer);
            row.addProperty("infer_ratio", infer / baseInfer);
            rows.add(row);
        }
        if (out != null) {
            JsonObject json = new JsonObject();
            json.add("spec", com.google.gson.JsonParser.parseString(spec.toJson()));
            json.addProperty("batch_size", batchSize);
            json.addProperty("length", length);
            json.addProperty("steps", steps);
            json.add("results", rows);
            MetricsJson.write(out.resolve("bench.json"), json);
        }
        return 0;
    }

    private static void trainStep(TrainableModel model, Optimizer opt, Batch b) {
        model.zeroGrad();
        model.backward(Losses.compute(model.spec().head(), model.forwardTrain(b), b).gradient());
        GradientClipping.clip(model.gradients(), 5.0);
        opt.step(model.trainableParameters(), model.gradients());
        model.parametersUpdated();
    }
}
