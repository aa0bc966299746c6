package dev.rnn4j.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.rnn4j.config.Backends;
import dev.rnn4j.model.Model;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.OnnxSession;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A recurrent model exported elsewhere ({@code torch.onnx.export}, tf2onnx) read as an rnn4j model: its stacked
 * {@code LSTM}/{@code GRU}/{@code RNN} nodes become the layers (their {@code W}, {@code R}, {@code B} initializers are
 * already rnn4j's layout) and its last {@code Gemm}, or {@code MatMul} and {@code Add}, the head. The glue between them
 * (Transpose, Reshape, Squeeze, Slice, Concat, the zero-state subgraph) is not interpreted but checked: {@link #check}
 * runs the original file and the imported model on the same inputs, and an import whose outputs differ is refused.
 *
 * <p>A graph without a linear head (an encoder) gets an identity head: the model's outputs are its last layer's hidden
 * states ({@code [h_forward, h_reverse]}), as the graph's are; {@code train --new-head} gives it a real one.
 *
 * <p>What maps: one recurrent node per layer, forward or bidirectional, {@code linear_before_reset} 0 or 1, peepholes,
 * {@code input_forget}, default activations, no {@code clip}; initial states computed inside the graph (zeros) or taken
 * as graph inputs (the check feeds them zeros; the imported model starts from the zero state, or from one given to
 * {@code RnnModel.predict(batch, state)}); a head whose output is {@code [N, O]} (the last step) or {@code [N, T, O]} (every step), input
 * batch-first (a Transpose after the input) or time-first.
 */
public final class OnnxImporter {
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "RNN");

    private OnnxImporter() {
    }

    /**
     * An imported graph.
     *
     * @param spec        the layers and head found
     * @param parameters  their weights, in rnn4j's layout
     * @param batchFirst  the graph's input is {@code [N, T, I]} (else {@code [T, N, I]})
     * @param producer    the file's producer and version, e.g. {@code pytorch 1.13.1}
     * @param opset       the default-domain opset it was written for
     * @param identityHead the graph has no linear head: an identity one stands in (the outputs are the hidden states)
     */
    public record Imported(ModelSpec spec, Parameters parameters, boolean batchFirst, String producer, long opset,
                           boolean identityHead) {
    }

    /**
     * Reads {@code model}'s layers and head.
     *
     * @throws IllegalArgumentException one line naming the node or pattern rnn4j cannot map, adding that the file still
     *                                  runs as it is in the interpreter
     */
    public static Imported read(ModelProto model, HeadKind headKind) {
        GraphProto g = model.getGraph();
        if (g.getInputCount() == 0 || g.getOutputCount() == 0) {
            throw refuse("a graph without inputs or outputs");
        }
        Map<String, TensorProto> inits = new HashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Set<String> graphInputs = new java.util.HashSet<>();
        g.getInputList().forEach(i -> graphInputs.add(i.getName()));
        List<NodeProto> layers = g.getNodeList().stream().filter(n -> RECURRENT.contains(n.getOpType())).toList();
        if (layers.isEmpty()) {
            throw refuse("no LSTM, GRU or RNN node");
        }
        CellType cell = null;
        boolean bidirectional = false;
        boolean linearBeforeReset = true;
        int hidden = 0;
        Parameters params = new Parameters();
        for (int l = 0; l < layers.size(); l++) {
            NodeProto n = layers.get(l);
            String at = "node " + name(n) + " (" + n.getOpType() + ")";
            for (AttributeProto a : n.getAttributeList()) {
                switch (a.getName()) {
                    case "hidden_size", "direction", "linear_before_reset", "input_forget", "layout" -> { }
                    case "activations", "activation_alpha", "activation_beta" -> {
                        if (!defaultActivations(n, a)) {
                            throw refuse(at + ": activations " + a.getStringsList().stream()
                                    .map(com.google.protobuf.ByteString::toStringUtf8).toList() + " (rnn4j's cells use "
                                    + "ONNX's defaults)");
                        }
                    }
                    default -> throw refuse(at + ": attribute " + a.getName() + " (rnn4j's cells have no "
                            + a.getName() + ")");
                }
            }
            if (intAttr(n, "layout", 0) != 0) {
                throw refuse(at + ": layout = 1");
            }
            String direction = stringAttr(n, "direction", "forward");
            if (direction.equals("reverse")) {
                throw refuse(at + ": direction reverse alone");
            }
            boolean bi = direction.equals("bidirectional");
            CellType c = cellOf(n, inits);
            int h = (int) intAttr(n, "hidden_size", 0);
            if (l == 0) {
                cell = c;
                bidirectional = bi;
                hidden = h;
                linearBeforeReset = intAttr(n, "linear_before_reset", 0) == 1;
            } else if (c != cell || bi != bidirectional || h != hidden) {
                throw refuse(at + ": layers of different cells, sizes or directions");
            }
            if (graphInputs.contains(input(n, 4))) {
                throw refuse(at + ": sequence_lens from the graph input " + n.getInput(4));
            }
            int d = bi ? 2 : 1;
            float[] w = floats(inits, n, 1, at);
            float[] r = floats(inits, n, 2, at);
            int gh = c.gates() * h;
            int[] wDims = dims(inits.get(input(n, 1)));
            if (h < 1 || wDims.length != 3 || wDims[0] != d || wDims[1] != gh) { // before sizing anything by h
                throw refuse(at + ": W of dims " + java.util.Arrays.toString(wDims) + " for " + d + " direction(s) of "
                        + c.gates() + " x " + h);
            }
            float[] b = !input(n, 3).isEmpty() ? floats(inits, n, 3, at) : new float[d * 2 * gh];
            params.put(new Tensor(ParameterLayout.w(l), bi ? wDims : new int[] {wDims[1], wDims[2]}, w));
            params.put(new Tensor(ParameterLayout.r(l), bi ? new int[] {2, gh, h} : new int[] {gh, h}, r));
            params.put(new Tensor(ParameterLayout.b(l), bi ? new int[] {2, 2 * gh} : new int[] {2 * gh}, b));
            if (c.hasPeepholes()) {
                params.put(new Tensor(ParameterLayout.p(l), bi ? new int[] {2, 3 * h} : new int[] {3 * h},
                        floats(inits, n, 7, at)));
            }
        }
        int inputSize = dims(inits.get(input(layers.get(0), 1)))[2];
        Head head = head(g, inits, hidden * (bidirectional ? 2 : 1));
        params.put(new Tensor(ParameterLayout.HEAD_W, new int[] {head.outputs, hidden * (bidirectional ? 2 : 1)},
                head.weight));
        params.put(new Tensor(ParameterLayout.HEAD_B, new int[] {head.outputs}, head.bias));
        int outputRank = rank(g.getOutput(0));
        if (outputRank != 2 && outputRank != 3) {
            throw refuse("output " + g.getOutput(0).getName() + " of rank " + outputRank + " (a head gives [N, O] or "
                    + "[N, T, O])");
        }
        ModelSpec spec = ModelSpec.builder().setCell(cell).setInputSize(inputSize).setHiddenSize(hidden)
                .setHead(headKind, head.outputs).setOutputMode(outputRank == 2 ? OutputMode.LAST_STEP
                        : OutputMode.EVERY_STEP).optNumLayers(layers.size()).optBidirectional(bidirectional)
                .optLinearBeforeReset(cell != CellType.GRU || linearBeforeReset).build();
        ParameterLayout.validate(spec, params);
        String input = g.getInput(0).getName();
        boolean batchFirst = g.getNodeList().stream().anyMatch(n -> n.getOpType().equals("Transpose")
                && input(n, 0).equals(input) && intsAttr(n, "perm").equals(List.of(1L, 0L, 2L)));
        long opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain()
                .equals("ai.onnx")).mapToLong(o -> o.getVersion()).findFirst().orElse(0);
        return new Imported(spec, params, batchFirst, (model.getProducerName() + " " + model.getProducerVersion())
                .strip(), opset, head.identity());
    }

    /**
     * Runs the original graph (on ONNX Runtime when it is installed, else rnn4j's interpreter) and the imported model
     * on {@code N = 3} random sequences of {@code T = 5} steps, and returns the largest absolute difference of their
     * outputs: the first, and the final states when the graph returns them as further outputs of shape
     * {@code [layers x directions, N, H]} (h, then c: PyTorch's {@code h_n}, {@code c_n}).
     */
    public static double check(byte[] onnx, Imported imported, long seed) {
        int n = 3;
        int t = 5;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] batchFirst = new float[n * t * imported.spec().inputSize()];
        for (int i = 0; i < batchFirst.length; i++) {
            batchFirst[i] = (float) rng.nextGaussian();
        }
        return check(onnx, imported, batchFirst, n, t);
    }

    /**
     * {@link #check(byte[], Imported, long)} on given inputs: {@code batchFirst} is {@code [n, t, I]} whatever the
     * graph's layout (e.g. the file's own {@code test_data_set_0/input_0.pb}, turned batch-first).
     */
    public static double check(byte[] onnx, Imported imported, float[] batchFirst, int n, int t) {
        ModelSpec spec = imported.spec();
        int in = spec.inputSize();
        float[] fed = imported.batchFirst() ? batchFirst : transpose01(batchFirst, n, t, in);
        long[] shape = imported.batchFirst() ? new long[] {n, t, in} : new long[] {t, n, in};
        String runner = Backends.names().contains("onnxruntime") ? "onnxruntime" : "native";
        ModelProto proto = OnnxModels.parse(onnx, "the ONNX file");
        float[] original;
        List<OnnxValue> further = new ArrayList<>(); // outputs after the first: final states, if shaped as such
        Map<String, OnnxValue> feeds = new java.util.LinkedHashMap<>();
        feeds.put(proto.getGraph().getInput(0).getName(), OnnxValue.floats(shape, fed));
        Set<String> initializers = new java.util.HashSet<>();
        proto.getGraph().getInitializerList().forEach(i -> initializers.add(i.getName()));
        for (ValueInfoProto other : proto.getGraph().getInputList().subList(1, proto.getGraph().getInputCount())) {
            if (!initializers.contains(other.getName())) {
                feeds.put(other.getName(), zeros(other, n)); // an initial state: rnn4j's models start from zero
            }
        }
        try (OnnxSession s = Backends.create(runner, EnumSet.noneOf(Capability.class)).openOnnx(onnx)) {
            Map<String, OnnxValue> outputs = s.run(feeds);
            OnnxValue out = outputs.isEmpty() ? null : outputs.values().iterator().next();
            outputs.values().stream().skip(1).forEach(further::add);
            if (out == null) {
                throw refuse("its output " + proto.getGraph().getOutput(0).getName() + " is not computed");
            }
            if (out.type() != OnnxValue.Type.FLOAT) {
                throw refuse("its output is " + out.type() + ", not float");
            }
            original = out.floats();
            long[] expected = spec.outputMode() == OutputMode.LAST_STEP ? new long[] {n, spec.outputSize()}
                    : new long[] {n, t, spec.outputSize()};
            long[] timeFirst = {t, n, spec.outputSize()};
            if (spec.outputMode() == OutputMode.EVERY_STEP && java.util.Arrays.equals(out.shape(), timeFirst)) {
                original = transpose01(original, t, n, spec.outputSize());
            } else if (!java.util.Arrays.equals(out.shape(), expected)) {
                throw refuse("its output has shape " + java.util.Arrays.toString(out.shape()) + " for " + n
                        + " sequences of " + t + " steps, not the head's " + java.util.Arrays.toString(expected));
            }
        }
        Backend backend = Backends.create("native", EnumSet.noneOf(Capability.class));
        float[] ours;
        List<float[]> finalStates;
        try (Model m = backend.newModel(spec, imported.parameters())) {
            int[] lengths = new int[n];
            java.util.Arrays.fill(lengths, t);
            dev.rnn4j.model.StatefulOutput so = m.forward(dev.rnn4j.data.Batch.of(batchFirst, lengths, in), null);
            ours = so.output().values();
            finalStates = finalStates(spec, so.state());
        }
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(original[i] - ours[i]));
        }
        // further outputs shaped [layers x directions, N, H] are the final states, h then c (PyTorch's h_n, c_n)
        long[] stateShape = {(long) spec.numLayers() * spec.directions(), n, spec.hiddenSize()};
        int next = 0;
        for (OnnxValue v : further) {
            if (v != null && v.type() == OnnxValue.Type.FLOAT && java.util.Arrays.equals(v.shape(), stateShape)
                    && next < finalStates.size()) {
                float[] state = finalStates.get(next++);
                for (int i = 0; i < state.length; i++) {
                    worst = Math.max(worst, Math.abs(v.floats()[i] - state[i]));
                }
            }
        }
        return worst;
    }

    /**
     * The first input of the file's own test data when it lies beside it ({@code test_data_set_0/input_0.pb}, the ONNX
     * test layout), batch-first, with its N and T; empty if there is none or it does not fit the imported model.
     */
    public static java.util.Optional<float[][]> ownInputs(java.nio.file.Path onnxFile, Imported imported) {
        java.nio.file.Path pb = onnxFile.toAbsolutePath().getParent().resolve("test_data_set_0").resolve("input_0.pb");
        if (!java.nio.file.Files.isRegularFile(pb)) {
            return java.util.Optional.empty();
        }
        try {
            OnnxValue v = OnnxValue.fromProto(TensorProto.parseFrom(java.nio.file.Files.readAllBytes(pb)));
            if (v.type() != OnnxValue.Type.FLOAT || v.rank() != 3 || v.shape()[2] != imported.spec().inputSize()) {
                return java.util.Optional.empty();
            }
            int a = (int) v.shape()[0];
            int b = (int) v.shape()[1];
            float[] x = imported.batchFirst() ? v.floats() : transpose01(v.floats(), a, b, (int) v.shape()[2]);
            int n = imported.batchFirst() ? a : b;
            int t = imported.batchFirst() ? b : a;
            return java.util.Optional.of(new float[][] {x, {n, t}});
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The model's final h (and, for the LSTM family, c) of every layer, stacked as {@code [layers x D, N, H]}. */
    private static List<float[]> finalStates(ModelSpec spec, dev.rnn4j.model.State state) {
        List<float[]> stacked = new ArrayList<>();
        for (boolean cell : state.hasCell() ? new boolean[] {false, true} : new boolean[] {false}) {
            int per = state.directions() * state.size() * state.hiddenSize();
            float[] all = new float[spec.numLayers() * per];
            for (int l = 0; l < spec.numLayers(); l++) {
                System.arraycopy(cell ? state.c(l) : state.h(l), 0, all, l * per, per);
            }
            stacked.add(all);
        }
        return stacked;
    }

    /** Zeros for a float graph input (an initial state), its symbolic dimensions taken as the batch. */
    private static OnnxValue zeros(ValueInfoProto input, int batch) {
        var type = input.getType().getTensorType();
        if (type.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw refuse("graph input " + input.getName() + " is not float: rnn4j's models take one input sequence and, "
                    + "optionally, float initial states");
        }
        long[] shape = type.getShape().getDimList().stream().mapToLong(d -> d.hasDimValue() ? d.getDimValue() : batch)
                .toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0 || d > 1 << 20) {
                throw refuse("graph input " + input.getName() + " has shape " + java.util.Arrays.toString(shape));
            }
            count *= d;
        }
        return OnnxValue.floats(shape, new float[Math.toIntExact(count)]);
    }

    private record Head(int outputs, float[] weight, float[] bias, boolean identity) {
    }

    /**
     * The last Gemm, or MatMul (and the Add of its bias), whose weight reads {@code width} values; an identity head if
     * there is none.
     */
    private static Head head(GraphProto g, Map<String, TensorProto> inits, int width) {
        List<NodeProto> nodes = g.getNodeList();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto n = nodes.get(i);
            if (n.getOpType().equals("Gemm") && inits.containsKey(input(n, 1))) {
                int[] d = dims(inits.get(input(n, 1)));
                if (d.length != 2) {
                    throw refuse("node " + name(n) + " (Gemm): a weight of rank " + d.length);
                }
                boolean transB = intAttr(n, "transB", 0) == 1;
                float[] w = floats(inits.get(input(n, 1)), n);
                int outputs = transB ? d[0] : d[1];
                float[] bias = inits.containsKey(input(n, 2)) ? floats(inits.get(input(n, 2)), n) : new float[outputs];
                return new Head(outputs, transB ? w : transpose(w, d[0], d[1]), bias, false);
            }
            if (n.getOpType().equals("MatMul") && inits.containsKey(input(n, 1))) {
                int[] d = dims(inits.get(input(n, 1)));
                if (d.length != 2 || d[0] != width) {
                    continue;
                }
                float[] weight = floats(inits.get(input(n, 1)), n); // its values checked against its dims first
                float[] bias = new float[d[1]];
                for (NodeProto add : nodes) {
                    if (add.getOpType().equals("Add") && n.getOutputCount() > 0
                            && add.getInputList().contains(n.getOutput(0))) {
                        for (String operand : add.getInputList()) {
                            if (inits.containsKey(operand)) {
                                bias = floats(inits.get(operand), add);
                            }
                        }
                    }
                }
                return new Head(d[1], transpose(weight, d[0], d[1]), bias, false);
            }
        }
        return identity(width);
    }

    /** No head in the graph: an identity head, so the model's outputs are the last layer's hidden states. */
    private static Head identity(int width) {
        return new Head(width, Tensor.identity("identity", width).data(), new float[width], true);
    }

    private static CellType cellOf(NodeProto n, Map<String, TensorProto> inits) {
        return switch (n.getOpType()) {
            case "RNN" -> CellType.RNN_TANH;
            case "GRU" -> CellType.GRU;
            default -> {
                boolean peepholes = !input(n, 7).isEmpty();
                if (intAttr(n, "input_forget", 0) == 1) {
                    if (peepholes) {
                        throw refuse("node " + name(n) + " (LSTM): input_forget with peepholes");
                    }
                    yield CellType.LSTM_CIFG;
                }
                yield peepholes ? CellType.LSTM_PEEPHOLE : CellType.LSTM;
            }
        };
    }

    private static boolean defaultActivations(NodeProto n, AttributeProto a) {
        if (!a.getName().equals("activations")) {
            return false;
        }
        List<String> names = a.getStringsList().stream().map(s -> s.toStringUtf8().toLowerCase(java.util.Locale.ROOT))
                .toList();
        List<String> one = switch (n.getOpType()) {
            case "LSTM" -> List.of("sigmoid", "tanh", "tanh");
            case "GRU" -> List.of("sigmoid", "tanh");
            default -> List.of("tanh");
        };
        List<String> both = new ArrayList<>(one);
        both.addAll(one);
        return names.equals(one) || names.equals(both);
    }

    private static float[] floats(Map<String, TensorProto> inits, NodeProto n, int input, String at) {
        TensorProto t = inits.get(input(n, input));
        if (t == null) {
            throw refuse(at + ": input " + input + " (" + (input(n, input).isEmpty() ? "absent" : input(n, input))
                    + ") is not an initializer (computed weights)");
        }
        return floats(t, n);
    }

    /** A float initializer's values, with the shape its dims say. */
    private static float[] floats(TensorProto t, NodeProto n) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw refuse("node " + name(n) + ": initializer " + t.getName() + " is not float");
        }
        float[] v = OnnxTensors.toFloats(t);
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        if (count != v.length) {
            throw refuse("node " + name(n) + ": initializer " + t.getName() + " has " + v.length + " values for dims "
                    + t.getDimsList());
        }
        return v;
    }

    /** Input {@code i} of {@code n}, or "" when it has fewer. */
    private static String input(NodeProto n, int i) {
        return i < n.getInputCount() ? n.getInput(i) : "";
    }

    private static int[] dims(TensorProto t) {
        if (t.getDimsList().stream().anyMatch(d -> d < 0 || d > Integer.MAX_VALUE)) {
            throw refuse("initializer " + t.getName() + " has dims " + t.getDimsList());
        }
        return t.getDimsList().stream().mapToInt(Long::intValue).toArray();
    }

    private static int rank(ValueInfoProto v) {
        return v.getType().getTensorType().getShape().getDimCount();
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    /** {@code [A, B, C]} to {@code [B, A, C]}. */
    private static float[] transpose01(float[] x, int a, int b, int c) {
        float[] t = new float[x.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(x, (i * b + j) * c, t, (j * a + i) * c, c);
            }
        }
        return t;
    }

    private static long intAttr(NodeProto n, String name, long fallback) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(AttributeProto::getI)
                .findFirst().orElse(fallback);
    }

    private static List<Long> intsAttr(NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .map(AttributeProto::getIntsList).orElse(List.of());
    }

    private static String stringAttr(NodeProto n, String name, String fallback) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .map(a -> a.getS().toStringUtf8()).orElse(fallback);
    }

    /** The node's name, else its first named output, else its place in the graph's order is left to the op type. */
    private static String name(NodeProto n) {
        String named = !n.getName().isEmpty() ? n.getName()
                : n.getOutputList().stream().filter(o -> !o.isEmpty()).findFirst().orElse("?");
        return "'" + named + "'";
    }

    private static IllegalArgumentException refuse(String what) {
        return new IllegalArgumentException(what + "; the file still runs as it is with onnx-test and the interpreter");
    }
}
