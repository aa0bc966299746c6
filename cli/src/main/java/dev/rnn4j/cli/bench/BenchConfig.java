package dev.rnn4j.cli.bench;

import dev.rnn4j.data.Batch;
import dev.rnn4j.datasets.forecasting.SeriesForecast;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A benchmark configuration: the model, the batch shape and whether it is trained.
 *
 * @param name      A..G as in docs/speed.md
 * @param spec      the model
 * @param batchSize N
 * @param steps     T (every sequence has all T steps)
 * @param oneHot    inputs are one-hot characters (else uniform in [-1, 1))
 * @param train     whether training is timed (F is inference only)
 */
public record BenchConfig(String name, ModelSpec spec, int batchSize, int steps, boolean oneHot, boolean train) {

    /** Every preset, in order. */
    public static List<BenchConfig> presets() {
        return List.of(
                new BenchConfig("A", lstm(CellType.LSTM, 1, 32, 1, 0f, HeadKind.REGRESSION, 1, OutputMode.LAST_STEP), 64, 3,
                        false, true),
                new BenchConfig("B", lstm(CellType.LSTM, 2, 100, 1, 0f, HeadKind.CLASSIFICATION, 3, OutputMode.EVERY_STEP),
                        32, 8, false, true),
                new BenchConfig("C", lstm(CellType.LSTM, 1, 32, 1, 0f, HeadKind.REGRESSION, 1, OutputMode.LAST_STEP), 128,
                        50, false, true),
                charModel("D", CellType.LSTM),
                charModel("E1", CellType.GRU),
                charModel("E2", CellType.RNN_TANH),
                new BenchConfig("F", lstm(CellType.LSTM, 65, 128, 1, 0f, HeadKind.CLASSIFICATION, 65,
                        OutputMode.EVERY_STEP), 1, 100, true, false),
                // series-forecast's default model and batch on M4 Hourly (horizon 48, season 24: window 7 x 24)
                new BenchConfig("G", lstm(CellType.LSTM, SeriesForecast.INPUT_SIZE, 64, 1, 0f, HeadKind.REGRESSION, 48,
                        OutputMode.LAST_STEP), 64, 168, false, true));
    }

    /** The preset named {@code name} (A, B, C, D, E1, E2, F or G; any case). */
    public static BenchConfig named(String name) {
        return presets().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("--configs: unknown configuration '" + name + "'; known: A, B, C, D, E1, E2, F, G, matmul"));
    }

    /** D and E: a 2-layer char model, 65 one-hot inputs and classes, H=256, T=100, N=64, dropout 0.2. */
    private static BenchConfig charModel(String name, CellType cell) {
        return new BenchConfig(name, lstm(cell, 65, 256, 2, 0.2f, HeadKind.CLASSIFICATION, 65, OutputMode.EVERY_STEP), 64,
                100, true, true);
    }

    private static ModelSpec lstm(CellType cell, int input, int hidden, int layers, float dropout, HeadKind head, int outputs,
                                  OutputMode mode) {
        return ModelSpec.builder().setCell(cell).setInputSize(input).setHiddenSize(hidden).optNumLayers(layers)
                .optDropout(dropout).setHead(head, outputs).setOutputMode(mode).build();
    }

    /** One line: cell, layers, sizes. */
    public String describe() {
        return String.format("%s %s(%d->%d)%s T=%d N=%d%s%s", name, spec.cell().cliName(), spec.inputSize(),
                spec.hiddenSize(), spec.numLayers() > 1 ? " x" + spec.numLayers() : "", steps, batchSize,
                spec.dropout() > 0 ? " dropout " + spec.dropout() : "", train ? "" : " (inference only)");
    }

    /** {@code count} batches from {@code seed}: full-length sequences with targets for the spec's head. */
    public List<Batch> batches(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = batchSize;
        int t = steps;
        int in = spec.inputSize();
        int s = spec.outputMode() == OutputMode.EVERY_STEP ? t : 1;
        List<Batch> list = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            float[] x = new float[n * t * in];
            for (int row = 0; row < n * t; row++) {
                if (oneHot) {
                    x[row * in + rng.nextInt(in)] = 1f;
                } else {
                    for (int i = 0; i < in; i++) {
                        x[row * in + i] = (float) rng.nextDouble(-1, 1);
                    }
                }
            }
            int[] lengths = new int[n];
            Arrays.fill(lengths, t);
            if (spec.head() == HeadKind.CLASSIFICATION) {
                int[] labels = new int[n * s];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = rng.nextInt(spec.outputSize());
                }
                list.add(new Batch(n, t, in, x, lengths, s, 1, null, labels));
            } else {
                float[] y = new float[n * s * spec.outputSize()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = (float) rng.nextDouble();
                }
                list.add(new Batch(n, t, in, x, lengths, s, spec.outputSize(), y, null));
            }
        }
        return list;
    }
}
