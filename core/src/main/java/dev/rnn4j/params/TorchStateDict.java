package dev.rnn4j.params;

import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rnn4j's parameters under PyTorch's names, and back: what an {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} followed
 * by an {@code nn.Linear} head keeps in its {@code state_dict}.
 *
 * <table>
 *   <caption>names and layouts</caption>
 *   <tr><th>rnn4j (ONNX layout)</th><th>PyTorch</th></tr>
 *   <tr><td>{@code layers.l.W [G*H, I]}</td><td>{@code RNN.weight_ih_l{l} [G*H, I]}</td></tr>
 *   <tr><td>{@code layers.l.R [G*H, H]}</td><td>{@code RNN.weight_hh_l{l}}</td></tr>
 *   <tr><td>{@code layers.l.B [2*G*H]}</td><td>{@code RNN.bias_ih_l{l}} then {@code RNN.bias_hh_l{l}}</td></tr>
 *   <tr><td>direction 1 of a bidirectional layer</td><td>the same names with {@code _reverse}</td></tr>
 *   <tr><td>{@code head.W [O, H*D]}, {@code head.b}</td><td>{@code HEAD.weight}, {@code HEAD.bias}</td></tr>
 * </table>
 *
 * The gate blocks of every W, R and bias are reordered between ONNX's order and PyTorch's ({@link CellType#torchOrder}:
 * LSTM {@code i,o,f,c} against {@code i,f,g,o}; GRU {@code z,r,h} against {@code r,z,n}). PyTorch's GRU is ONNX's with
 * {@code linear_before_reset = 1}. The peephole and coupled-gate LSTMs and the MLP have no PyTorch module.
 */
public final class TorchStateDict {
    private static final Pattern RECURRENT = Pattern.compile("(.*?)(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\\d+)"
            + "(_reverse)?");

    private TorchStateDict() {
    }

    /**
     * {@code params} of {@code spec} under PyTorch's names: the recurrent module's tensors prefixed {@code rnnPrefix}
     * (e.g. {@code "rnn."}), the head's {@code headPrefix} (e.g. {@code "head."}), in the order PyTorch lists them.
     *
     * @throws IllegalArgumentException for a cell or GRU variant PyTorch has no module for
     */
    public static List<Tensor> toTorch(ModelSpec spec, Parameters params, String rnnPrefix, String headPrefix) {
        requireTorchModule(spec);
        List<Tensor> out = new ArrayList<>();
        int gh = spec.gates() * spec.hiddenSize();
        int[] order = spec.cell().torchOrder();
        for (int l = 0; l < spec.numLayers(); l++) {
            for (int d = 0; d < spec.directions(); d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                float[] w = direction(params.get(ParameterLayout.w(l)), d, spec.directions());
                float[] r = direction(params.get(ParameterLayout.r(l)), d, spec.directions());
                float[] b = direction(params.get(ParameterLayout.b(l)), d, spec.directions());
                out.add(new Tensor(rnnPrefix + "weight_ih" + suffix, new int[] {gh, w.length / gh},
                        reorder(w, order, true)));
                out.add(new Tensor(rnnPrefix + "weight_hh" + suffix, new int[] {gh, spec.hiddenSize()},
                        reorder(r, order, true)));
                out.add(new Tensor(rnnPrefix + "bias_ih" + suffix, new int[] {gh},
                        reorder(Arrays.copyOfRange(b, 0, gh), order, true)));
                out.add(new Tensor(rnnPrefix + "bias_hh" + suffix, new int[] {gh},
                        reorder(Arrays.copyOfRange(b, gh, 2 * gh), order, true)));
            }
        }
        out.add(new Tensor(headPrefix + "weight", params.get(ParameterLayout.HEAD_W).shape(),
                params.get(ParameterLayout.HEAD_W).data().clone()));
        out.add(new Tensor(headPrefix + "bias", params.get(ParameterLayout.HEAD_B).shape(),
                params.get(ParameterLayout.HEAD_B).data().clone()));
        return out;
    }

    /**
     * Writes {@code params} under PyTorch's names ({@code rnn.} and {@code head.} prefixes) as a safetensors file,
     * atomically, with {@code format: pt} and the producer in its metadata.
     */
    public static void save(java.nio.file.Path file, ModelSpec spec, Parameters params) throws java.io.IOException {
        dev.rnn4j.io.SafeTensors.write(file, toTorch(spec, params, "rnn.", "head."), Map.of("format", "pt",
                "producer", "rnn4j " + dev.rnn4j.Rnn4j.version()));
    }

    /**
     * A model read from a PyTorch {@code state_dict}: its spec and its parameters in rnn4j's layout.
     *
     * @param spec       sizes inferred from the tensors' shapes
     * @param parameters the weights, reordered
     * @param rnnPrefix  the recurrent module's prefix found (e.g. {@code "rnn."})
     * @param headPrefix the head's prefix found (e.g. {@code "fc."}), or {@code null} for an identity head (the
     *                   state_dict has none: the model's outputs are the last layer's hidden states)
     */
    public record Imported(ModelSpec spec, Parameters parameters, String rnnPrefix, String headPrefix) {
    }

    /**
     * Reads a PyTorch {@code state_dict} of one recurrent module of {@code cell} and one linear head: sizes, layers and
     * directions from the names and shapes; the head is the one other {@code PREFIX.weight}/{@code PREFIX.bias} pair
     * (or {@code headPrefix}'s, if given); without one, an identity head (an encoder's outputs: its hidden states).
     *
     * @param head       what the head's outputs are (regression values or class logits)
     * @param outputMode the head on the last step or on every step
     * @throws IllegalArgumentException naming the key at fault: a missing tensor, a shape that disagrees with another
     *                                  (naming both), {@code proj_size} ({@code weight_hr}), two heads
     */
    public static Imported fromTorch(Map<String, Tensor> stateDict, CellType cell, String headPrefix, HeadKind head,
                                     OutputMode outputMode) {
        if (cell != CellType.LSTM && cell != CellType.GRU && cell != CellType.RNN_TANH) {
            throw new IllegalArgumentException("--cell " + cell.cliName() + ": PyTorch has no module for it (lstm, gru "
                    + "or rnn)");
        }
        String prefix = null;
        int layers = 0;
        boolean reverse = false;
        for (String key : stateDict.keySet()) {
            Matcher m = RECURRENT.matcher(key);
            if (!m.matches()) {
                continue;
            }
            if (m.group(2).equals("weight_hr")) {
                throw new IllegalArgumentException(key + ": an LSTM with proj_size, which rnn4j's LSTM has no "
                        + "equivalent of");
            }
            if (prefix != null && !prefix.equals(m.group(1))) {
                throw new IllegalArgumentException(key + ": a second recurrent module ('" + prefix + "' and '"
                        + m.group(1) + "'); rnn4j imports one stacked module");
            }
            prefix = m.group(1);
            layers = Math.max(layers, Integer.parseInt(m.group(3)) + 1);
            reverse |= m.group(4) != null;
        }
        if (prefix == null) {
            throw new IllegalArgumentException("no recurrent weights (weight_ih_l0 ...) among the keys "
                    + new TreeSet<>(stateDict.keySet()));
        }
        int directions = reverse ? 2 : 1;
        Tensor w0 = require(stateDict, prefix + "weight_ih_l0");
        Tensor r0 = require(stateDict, prefix + "weight_hh_l0");
        int gates = cell.gates();
        if (w0.shape().length != 2 || w0.shape()[0] % gates != 0) {
            throw new IllegalArgumentException(w0.name() + ": shape " + Arrays.toString(w0.shape()) + " is not a "
                    + cell.cliName() + "'s [" + gates + " x hidden, input]");
        }
        int hidden = w0.shape()[0] / gates;
        int input = w0.shape()[1];
        checkShape(r0, new int[] {gates * hidden, hidden}, w0);
        String headKey = headPrefix != null ? headPrefix : findHead(stateDict);
        Tensor hw;
        Tensor hb;
        if (headKey == null) { // an encoder: an identity head, so the outputs are the last layer's hidden states
            hw = Tensor.identity("identity", hidden * directions);
            hb = Tensor.zeros("zeros", hidden * directions);
        } else {
            hw = require(stateDict, headKey + "weight");
            hb = require(stateDict, headKey + "bias");
        }
        int outputs = hw.shape()[0];
        checkShape(hw, new int[] {outputs, hidden * directions}, r0);
        checkShape(hb, new int[] {outputs}, hw);
        ModelSpec spec = ModelSpec.builder().setCell(cell).setInputSize(input).setHiddenSize(hidden)
                .setHead(head, outputs).setOutputMode(outputMode).optNumLayers(layers).optBidirectional(reverse)
                .optLinearBeforeReset(true).build();
        int[] order = cell.torchOrder();
        int gh = gates * hidden;
        Parameters params = new Parameters();
        for (int l = 0; l < layers; l++) {
            int in = spec.layerInputSize(l);
            float[] w = new float[directions * gh * in];
            float[] r = new float[directions * gh * hidden];
            float[] b = new float[directions * 2 * gh];
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                Tensor wi = require(stateDict, prefix + "weight_ih" + suffix);
                Tensor wh = require(stateDict, prefix + "weight_hh" + suffix);
                Tensor bi = require(stateDict, prefix + "bias_ih" + suffix);
                Tensor bh = require(stateDict, prefix + "bias_hh" + suffix);
                checkShape(wi, new int[] {gh, in}, w0);
                checkShape(wh, new int[] {gh, hidden}, r0);
                checkShape(bi, new int[] {gh}, w0);
                checkShape(bh, new int[] {gh}, w0);
                System.arraycopy(reorder(wi.data(), order, false), 0, w, d * gh * in, gh * in);
                System.arraycopy(reorder(wh.data(), order, false), 0, r, d * gh * hidden, gh * hidden);
                System.arraycopy(reorder(bi.data(), order, false), 0, b, d * 2 * gh, gh);
                System.arraycopy(reorder(bh.data(), order, false), 0, b, d * 2 * gh + gh, gh);
            }
            for (ParameterLayout.Entry e : ParameterLayout.of(spec)) {
                if (e.name().equals(ParameterLayout.w(l))) {
                    params.put(new Tensor(e.name(), e.shape(), w));
                } else if (e.name().equals(ParameterLayout.r(l))) {
                    params.put(new Tensor(e.name(), e.shape(), r));
                } else if (e.name().equals(ParameterLayout.b(l))) {
                    params.put(new Tensor(e.name(), e.shape(), b));
                }
            }
        }
        params.put(new Tensor(ParameterLayout.HEAD_W, new int[] {outputs, hidden * directions}, hw.data().clone()));
        params.put(new Tensor(ParameterLayout.HEAD_B, new int[] {outputs}, hb.data().clone()));
        ParameterLayout.validate(spec, params);
        return new Imported(spec, params, prefix, headKey);
    }

    /**
     * Moves gate blocks between ONNX's order and PyTorch's: {@code data} is one run of {@code order.length} equal blocks
     * (a W, an R or one half of a bias); PyTorch's block k is ONNX's block {@code order[k]}.
     */
    public static float[] reorder(float[] data, int[] order, boolean toTorch) {
        return reorder(data, order, 1, toTorch);
    }

    /**
     * {@link #reorder(float[], int[], boolean)} for {@code runs} such runs one after the other (a whole bias, the two
     * directions of a bidirectional tensor), each reordered alike.
     */
    public static float[] reorder(float[] data, int[] order, int runs, boolean toTorch) {
        int gates = order.length;
        int block = data.length / (runs * gates);
        float[] out = new float[data.length];
        for (int run = 0; run < runs; run++) {
            int base = run * gates * block;
            for (int k = 0; k < gates; k++) {
                int torch = base + k * block;
                int onnx = base + order[k] * block;
                System.arraycopy(data, toTorch ? onnx : torch, out, toTorch ? torch : onnx, block);
            }
        }
        return out;
    }

    private static void requireTorchModule(ModelSpec spec) {
        CellType c = spec.cell();
        if (c != CellType.LSTM && c != CellType.GRU && c != CellType.RNN_TANH) {
            throw new IllegalArgumentException("a " + c.cliName() + " model has no PyTorch module (PyTorch has RNN, "
                    + "LSTM and GRU)");
        }
        if (c == CellType.GRU && !spec.linearBeforeReset()) {
            throw new IllegalArgumentException("PyTorch's GRU applies the reset gate after the recurrent product "
                    + "(linear_before_reset = 1); this model was trained with --gru-linear-before-reset 0");
        }
    }

    /** Direction {@code d} of a tensor with ONNX's leading direction axis (or the whole tensor for one direction). */
    private static float[] direction(Tensor t, int d, int directions) {
        int size = t.size() / directions;
        return Arrays.copyOfRange(t.data(), d * size, (d + 1) * size);
    }

    private static Tensor require(Map<String, Tensor> stateDict, String key) {
        Tensor t = stateDict.get(key);
        if (t == null) {
            throw new IllegalArgumentException("missing tensor '" + key + "'");
        }
        return t;
    }

    private static void checkShape(Tensor t, int[] expected, Tensor against) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(t.name() + ": shape " + Arrays.toString(t.shape()) + " disagrees with "
                    + against.name() + " " + Arrays.toString(against.shape()) + " (expected "
                    + Arrays.toString(expected) + ")");
        }
    }

    /** The one {@code PREFIX.weight} (with its {@code PREFIX.bias}) that is not a recurrent weight, or null if none. */
    private static String findHead(Map<String, Tensor> stateDict) {
        List<String> heads = new ArrayList<>();
        for (String key : stateDict.keySet()) {
            if (key.endsWith("weight") && !RECURRENT.matcher(key).matches()) {
                heads.add(key.substring(0, key.length() - "weight".length()));
            }
        }
        if (heads.size() > 1) {
            throw new IllegalArgumentException("more than one head candidate " + heads + ": name it with --head PREFIX "
                    + "(rnn4j imports one recurrent module and one linear head)");
        }
        return heads.isEmpty() ? null : heads.get(0);
    }

    /** Tensors as a map by name (what {@link #fromTorch} reads), in their order. */
    public static Map<String, Tensor> byName(Iterable<Tensor> tensors) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        tensors.forEach(t -> m.put(t.name(), t));
        return m;
    }
}
