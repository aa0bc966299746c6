package dev.rnn4j.examples.programs;

import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.Arrays;

/**
 * Hand-built weights that solve remember-first exactly for any length, as ordinary two-unit models.
 *
 * <p>Both use unit 1 as a flag that is 0 before the first step and close to a constant afterwards (its state
 * starts at 0 and its gates are saturated open by biases), and unit 0 as the memory: a gate that reads the flag
 * through R is open only while the flag is still 0, i.e. at step 1, so x_1 is written once and kept.
 * The value is stored as {@code tanh(EPS x_1) ~ EPS x_1} and the head divides by EPS.
 * <ul>
 *   <li>LSTM (blocks i, o, f, c): memory i = sigmoid(10 - 40 h_flag), f = sigmoid(20) (= 1 in float32),
 *       o = sigmoid(20), g = tanh(EPS x); flag i = o = sigmoid(20), f = sigmoid(-20), g = tanh(20), so
 *       c_flag = 1 and h_flag = tanh(1) = 0.76 from step 1 on. After step 1 the memory's input gate is
 *       sigmoid(10 - 30.5) ~ 1e-9.</li>
 *   <li>GRU (blocks z, r, h; either linear_before_reset): memory z = sigmoid(-10 + 40 h_flag) (write at step 1,
 *       then z = sigmoid(30) = 1 in float32, a perfect hold), candidate tanh(EPS x); flag z = sigmoid(-20),
 *       candidate tanh(20) = 1.</li>
 * </ul>
 */
public final class AnalyticMemory {
    /** Input scale: small enough that tanh is linear to about 1e-5 relative. */
    static final float EPS = 0.01f;

    private AnalyticMemory() {
    }

    private static ModelSpec spec(CellType cell) {
        return ModelSpec.builder().setCell(cell).setInputSize(1).setHiddenSize(2).setHead(HeadKind.REGRESSION, 1)
                .setOutputMode(OutputMode.LAST_STEP).build();
    }

    private static Parameters zeros(ModelSpec spec) {
        Parameters p = Initializer.initialize(spec, 0);
        p.forEach(t -> Arrays.fill(t.data(), 0f));
        return p;
    }

    /** The LSTM and its weights. */
    public static ModelSpec lstmSpec() {
        return spec(CellType.LSTM);
    }

    public static Parameters lstm() {
        ModelSpec spec = lstmSpec();
        Parameters p = zeros(spec);
        int h = 2;
        float[] w = p.get(ParameterLayout.w(0)).data();   // [8, 1], rows: block * 2 + unit
        float[] r = p.get(ParameterLayout.r(0)).data();   // [8, 2]
        float[] b = p.get(ParameterLayout.b(0)).data();   // Wb [8] then Rb [8]
        int i = 0;
        int o = 1;
        int f = 2;
        int c = 3;
        // memory unit 0
        b[i * h] = 10f;
        r[(i * h) * h + 1] = -40f;
        b[o * h] = 20f;
        b[f * h] = 20f;
        w[c * h] = EPS;
        // flag unit 1
        b[i * h + 1] = 20f;
        b[o * h + 1] = 20f;
        b[f * h + 1] = -20f;
        b[c * h + 1] = 20f;
        readout(p);
        return p;
    }

    /** The GRU (linear_before_reset = 1, PyTorch's) and its weights. */
    public static ModelSpec gruSpec() {
        return spec(CellType.GRU);
    }

    public static Parameters gru() {
        ModelSpec spec = gruSpec();
        Parameters p = zeros(spec);
        int h = 2;
        float[] w = p.get(ParameterLayout.w(0)).data();   // [6, 1]
        float[] r = p.get(ParameterLayout.r(0)).data();   // [6, 2]
        float[] b = p.get(ParameterLayout.b(0)).data();
        int z = 0;
        int cand = 2;
        // memory unit 0: write at step 1 only
        b[z * h] = -10f;
        r[(z * h) * h + 1] = 40f;
        w[cand * h] = EPS;
        // flag unit 1: z = 0, candidate 1
        b[z * h + 1] = -20f;
        b[cand * h + 1] = 20f;
        readout(p);
        return p;
    }

    /** Head: y = h_memory / EPS. */
    private static void readout(Parameters p) {
        float[] hw = p.get(ParameterLayout.HEAD_W).data();
        hw[0] = 1f / EPS;
        hw[1] = 0f;
    }
}
