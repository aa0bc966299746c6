package dev.rnn4j.params;

import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws initial parameters from a seed, once, in core: every engine given the same spec, seed and
 * options starts from identical weights.
 *
 * <p>Every weight and bias is uniform in {@code [-1/sqrt(H), 1/sqrt(H)]} as in PyTorch's
 * {@code nn.LSTM}/{@code nn.GRU}/{@code nn.RNN} (the head uses {@code 1/sqrt(H)} too, like
 * {@code nn.Linear(H, C)}). Then, for LSTM variants that have a forget gate, the forget block of Wb is
 * set to {@link Options#forgetBias()} and that of Rb to 0, so the total forget bias is exactly that value.
 * With {@link Options#chronoTMax()} {@code > 0}, chrono initialisation (Tallec and Ollivier, 2018) sets the
 * forget bias to {@code log(U(1, Tmax - 1))} and the input bias to its negative (LSTM), or, for a GRU, the
 * update gate bias to {@code log(U(1, Tmax - 1))} (z keeps the old state, so it plays the forget gate's role).
 * With {@link Options#zeroHead()} the head starts at zero, so the model's first output is exactly 0: a model that
 * learns a residual starts as its base model.
 */
public final class Initializer {

    /**
     * @param forgetBias total LSTM forget-gate bias (default 1.0)
     * @param chronoTMax if positive, use chrono initialisation with this characteristic time range
     * @param zeroHead   the head's weight and bias start at zero (the recurrent weights still get gradients from the
     *                   second step on, once the head has moved)
     */
    public record Options(float forgetBias, float chronoTMax, boolean zeroHead) {
        public static Options defaults() {
            return new Options(1.0f, 0f, false);
        }

        /** These options with the forget bias {@code v}. */
        public static Options forgetBias(float v) {
            return new Options(v, 0f, false);
        }
    }

    private Initializer() {
    }

    /** Initialises with default options (forget bias 1.0). */
    public static Parameters initialize(ModelSpec spec, long seed) {
        return initialize(spec, seed, Options.defaults());
    }

    public static Parameters initialize(ModelSpec spec, long seed, Options options) {
        SplittableRandom rng = new SplittableRandom(seed);
        Parameters params = new Parameters();
        float bound = (float) (1.0 / Math.sqrt(spec.hiddenSize()));
        for (ParameterLayout.Entry e : ParameterLayout.of(spec)) {
            float k = bound;
            if (spec.cell() == CellType.MLP && e.name().startsWith("layers.")) {
                // nn.Linear(in, H): bound 1/sqrt(in) for its weight and its bias
                int layer = Integer.parseInt(e.name().split("\\.")[1]);
                k = (float) (1.0 / Math.sqrt(spec.layerInputSize(layer)));
            }
            float[] data = new float[e.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((rng.nextDouble() * 2 - 1) * k);
            }
            params.put(new Tensor(e.name(), e.shape(), data));
        }
        if (spec.cell().isRecurrent()) {
            applyGateBiases(spec, params, options, rng);
        }
        if (options.zeroHead()) {
            Arrays.fill(params.get(ParameterLayout.HEAD_W).data(), 0f);
            Arrays.fill(params.get(ParameterLayout.HEAD_B).data(), 0f);
        }
        return params;
    }

    private static void applyGateBiases(ModelSpec spec, Parameters params, Options options, SplittableRandom rng) {
        int h = spec.hiddenSize();
        int gh = spec.gates() * h;
        for (int layerDirection = 0; layerDirection < spec.numLayers() * spec.directions(); layerDirection++) {
            int layer = layerDirection / spec.directions();
            int direction = layerDirection % spec.directions();
            float[] b = params.get(ParameterLayout.b(layer)).data();
            int o = direction * 2 * gh; // each direction's biases are 2 * gh floats: [Wb | Rb]
            if (spec.cell().hasCellState()) {
                // Wb is b[0, gh), Rb is b[gh, 2gh), each with the blocks i, o, f, c
                for (int j = 0; j < h; j++) {
                    int f = LstmGate.F.offset(h) + j;
                    int i = LstmGate.I.offset(h) + j;
                    if (options.chronoTMax() > 0) {
                        float bias = chrono(rng, options.chronoTMax());
                        if (!spec.cell().couplesInputAndForget()) {
                            b[o + f] = bias;
                            b[o + gh + f] = 0f;
                        }
                        b[o + i] = -bias;
                        b[o + gh + i] = 0f;
                    } else if (!spec.cell().couplesInputAndForget()) {
                        b[o + f] = options.forgetBias();
                        b[o + gh + f] = 0f;
                    }
                }
            } else if (spec.cell() == CellType.GRU && options.chronoTMax() > 0) {
                // z near 1 keeps the state
                for (int j = 0; j < h; j++) {
                    int z = GruGate.Z.offset(h) + j;
                    b[o + z] = chrono(rng, options.chronoTMax());
                    b[o + gh + z] = 0f;
                }
            }
        }
    }

    private static float chrono(SplittableRandom rng, float tMax) {
        double u = 1 + rng.nextDouble() * Math.max(tMax - 2, 0);
        return (float) Math.log(u);
    }
}
