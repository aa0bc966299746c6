package dev.rnn4j.onnx.export;

import dev.rnn4j.Provenance;
import dev.rnn4j.Rnn4j;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model as a standard ONNX graph (opset {@value #OPSET}).
 *
 * <p>Inputs: {@code input [N, T, I]} float (batch-first) and {@code lengths [N]} int32 (valid steps).
 * Outputs: {@code output} ({@code [N, C]} or {@code [N, T, C]}: regression values or logits) and, for
 * classifiers, {@code probabilities} (softmax over C). N and T are dynamic.
 *
 * <p>Graph for recurrent cells, written the way the maths reads:
 * <pre>
 *   x = Transpose(input, [1, 0, 2])                                  [T, N, I]   (ONNX RNN ops keep layout=0)
 *   per layer: Y, Y_h = LSTM|GRU|RNN(x, W, R, B, lengths, P)         Y [T, 1, N, H], Y_h [1, N, H]
 *              x = Squeeze(Y, 1)
 *   last step:  h = Squeeze(Y_h, 0); output = Gemm(h, head.W, head.b, transB=1)
 *   every step: output = (Transpose(x, [1, 0, 2]) MatMul head.W^T + head.b) * (Range(T) &lt; lengths)
 * </pre>
 * {@code Y_h} is each sequence's last valid state under {@code sequence_lens}, which is exactly rnn4j's
 * "last step". Peepholes go in as input P, the coupled gate as {@code input_forget=1}, the GRU variant as
 * {@code linear_before_reset}. The MLP baseline is {@code Flatten}, then {@code Gemm + Tanh} per layer.
 * Metadata: {@value #SPEC_KEY} (the spec as JSON), {@value #VERSION_KEY} and {@code rnn4j.provenance} (task, data
 * configuration, seed, engine and version as JSON, see {@link Provenance}).
 */
public final class OnnxExporter {
    public static final int OPSET = 17;
    public static final String PRODUCER = "rnn4j";
    public static final String PRODUCER_VERSION = Rnn4j.version();
    public static final String SPEC_KEY = "rnn4j.spec";
    public static final String VERSION_KEY = "rnn4j.version";
    public static final String INPUT = "input";
    public static final String LENGTHS = "lengths";
    public static final String OUTPUT = "output";
    public static final String PROBABILITIES = "probabilities";

    /** Optional input: layer {@code l}'s initial hidden state {@code [D, N, H]} (zeros when not fed). */
    public static String initialH(int layer) {
        return "initial_h." + layer;
    }

    /** Optional input: layer {@code l}'s initial cell state {@code [D, N, H]}, LSTM family only. */
    public static String initialC(int layer) {
        return "initial_c." + layer;
    }

    /** Output: layer {@code l}'s hidden state at each sequence's last valid step {@code [D, N, H]} ({@code Y_h}). */
    public static String finalH(int layer) {
        return "final_h." + layer;
    }

    /** Output: layer {@code l}'s cell state at each sequence's last valid step {@code [D, N, H]} ({@code Y_c}). */
    public static String finalC(int layer) {
        return "final_c." + layer;
    }

    private OnnxExporter() {
    }

    /** The ONNX model for {@code spec} with {@code params}, with no provenance but the rnn4j version. */
    public static ModelProto export(ModelSpec spec, Parameters params) {
        return export(spec, params, Provenance.unknown());
    }

    /** The ONNX model for {@code spec} with {@code params}; {@code provenance} goes into the metadata. */
    public static ModelProto export(ModelSpec spec, Parameters params, Provenance provenance) {
        return export(spec, params, provenance, false);
    }

    /**
     * The ONNX model for {@code spec} with {@code params}; {@code provenance} goes into the metadata. With
     * {@code stateInputs}, every recurrent layer also takes its initial state as graph inputs {@code initial_h.l} (and
     * {@code initial_c.l}), {@code [D, N, H]}, which must then be fed (zeros for a fresh start), so the model can be
     * streamed: feed each call's {@code final_*} outputs to the next call. Without, the state starts at zero, as in a
     * stateless model. (Required rather than optional inputs: ONNX Runtime's Java API cannot feed an input that has a
     * default.)
     */
    public static ModelProto export(ModelSpec spec, Parameters params, Provenance provenance, boolean stateInputs) {
        ParameterLayout.validate(spec, params);
        OnnxContext ctx = new OnnxContext("rnn4j_" + spec.cell().cliName().replace('-', '_'));
        OnnxRef input = ctx.input(INPUT, DataType.FLOAT, "N", "T", spec.inputSize());
        OnnxRef lengths = ctx.input(LENGTHS, DataType.INT32, "N");
        int h = spec.hiddenSize();
        OnnxRef headW = init(ctx, params, ParameterLayout.HEAD_W);
        OnnxRef headB = init(ctx, params, ParameterLayout.HEAD_B);
        OnnxRef output;
        Object[] outDims;
        if (spec.cell() == CellType.MLP) {
            OnnxRef x = input.apply("Flatten", Map.of("axis", 1));
            for (int l = 0; l < spec.numLayers(); l++) {
                x = x.gemmTransB(init(ctx, params, ParameterLayout.w(l)), init(ctx, params, ParameterLayout.b(l))).tanh();
            }
            output = x.gemmTransB(headW, headB);
            outDims = new Object[] {"N", spec.outputSize()};
        } else {
            OnnxRef x = input.transpose(1, 0, 2);
            OnnxRef lastState = null;
            boolean bidirectional = spec.directions() == 2;
            for (int l = 0; l < spec.numLayers(); l++) {
                List<OnnxRef> outs = recurrentLayer(ctx, spec, params, l, x, lengths, stateInputs);
                // Y [T, D, N, H] -> [T, N, D*H]: [h_forward, h_reverse] side by side
                x = bidirectional ? outs.get(0).transpose(0, 2, 1, 3).apply("Reshape", ctx.longs("layer_output", 0, 0,
                        spec.layerOutputSize())) : outs.get(0).squeeze(1);
                lastState = outs.get(1);
            }
            if (spec.outputMode() == OutputMode.LAST_STEP) {
                // Y_h [D, N, H] -> [N, D*H]: each direction's final state, as PyTorch's h_n
                OnnxRef last = bidirectional ? lastState.transpose(1, 0, 2).apply("Reshape", ctx.longs("last_state", 0,
                        spec.layerOutputSize())) : lastState.squeeze(0);
                output = last.gemmTransB(headW, headB);
                outDims = new Object[] {"N", spec.outputSize()};
            } else {
                OnnxRef perStep = x.transpose(1, 0, 2).matMul(headW.transpose(1, 0)).add(headB);
                output = perStep.mul(validStepMask(ctx, input, lengths));
                outDims = new Object[] {"N", "T", spec.outputSize()};
            }
        }
        ctx.output(output, OUTPUT, DataType.FLOAT, outDims);
        if (spec.head() == HeadKind.CLASSIFICATION) {
            ctx.output(output.softmax(-1), PROBABILITIES, DataType.FLOAT, outDims);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(SPEC_KEY, spec.toJson());
        meta.put(VERSION_KEY, PRODUCER_VERSION);
        meta.put(Provenance.ONNX_KEY, provenance.toJson().toString());
        return ctx.model(OPSET, PRODUCER, PRODUCER_VERSION, meta);
    }

    /** Writes the ONNX file atomically. */
    public static void write(ModelSpec spec, Parameters params, Path file) throws IOException {
        write(spec, params, Provenance.unknown(), file);
    }

    /** Writes the ONNX file, with {@code provenance} in its metadata, atomically. */
    public static void write(ModelSpec spec, Parameters params, Provenance provenance, Path file) throws IOException {
        write(spec, params, provenance, false, file);
    }

    /** Writes the ONNX file atomically; with {@code stateInputs}, as {@link #export(ModelSpec, Parameters, Provenance, boolean)}. */
    public static void write(ModelSpec spec, Parameters params, Provenance provenance, boolean stateInputs, Path file)
            throws IOException {
        AtomicFiles.write(file, export(spec, params, provenance, stateInputs).toByteArray());
    }

    /**
     * Layer {@code l}'s recurrent node, with its final state as graph outputs and, when {@code stateInputs}, its initial
     * state as graph inputs. Returns the node's {@code Y} and {@code Y_h}.
     */
    private static List<OnnxRef> recurrentLayer(OnnxContext ctx, ModelSpec spec, Parameters params, int l,
                                                OnnxRef x, OnnxRef lengths, boolean stateInputs) {
        String op = spec.cell().onnxOp();
        boolean lstm = spec.cell().hasCellState();
        List<OnnxRef> in = new ArrayList<>(List.of(x, withDirectionAxis(ctx, spec, params, ParameterLayout.w(l)),
                withDirectionAxis(ctx, spec, params, ParameterLayout.r(l)), withDirectionAxis(ctx, spec, params, ParameterLayout.b(l)),
                lengths, stateInputs ? stateInput(ctx, spec, initialH(l)) : OnnxContext.ABSENT));
        if (lstm) {
            in.add(stateInputs ? stateInput(ctx, spec, initialC(l)) : OnnxContext.ABSENT);
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("hidden_size", spec.hiddenSize());
        if (spec.directions() == 2) {
            attrs.put("direction", "bidirectional");
        }
        attrs.putAll(spec.cell().onnxAttributes(spec.linearBeforeReset()));
        if (spec.cell().hasPeepholes()) {
            in.add(withDirectionAxis(ctx, spec, params, ParameterLayout.p(l)));
        }
        List<OnnxRef> outs = ctx.op(op, in, lstm ? 3 : 2, attrs);
        Object[] dims = {spec.directions(), "N", spec.hiddenSize()};
        ctx.output(outs.get(1), finalH(l), DataType.FLOAT, dims);
        if (lstm) {
            ctx.output(outs.get(2), finalC(l), DataType.FLOAT, dims);
        }
        return outs;
    }

    /** A state input {@code [D, N, H]}. */
    private static OnnxRef stateInput(OnnxContext ctx, ModelSpec spec, String name) {
        return ctx.input(name, DataType.FLOAT, spec.directions(), "N", spec.hiddenSize());
    }

    /** {@code [N, T, 1]} float: 1 where {@code t < lengths[n]}, else 0. */
    private static OnnxRef validStepMask(OnnxContext ctx, OnnxRef input, OnnxRef lengths) {
        OnnxRef steps = input.apply("Shape").apply("Gather", Map.of("axis", 0), ctx.scalar("time_axis", 1));
        OnnxRef range = ctx.scalar("zero", 0).apply("Range", steps, ctx.scalar("one", 1)).unsqueeze(0);
        OnnxRef len = lengths.apply("Cast", Map.of("to", DataType.INT64.getNumber())).unsqueeze(1);
        return range.apply("Less", len).apply("Cast", Map.of("to", DataType.FLOAT.getNumber())).unsqueeze(2);
    }

    private static OnnxRef init(OnnxContext ctx, Parameters params, String name) {
        Tensor t = params.get(name);
        return ctx.initializer(name, Arrays.stream(t.shape()).asLongStream().toArray(), t.data());
    }

    /** The canonical tensor with ONNX's leading num_directions axis (bidirectional tensors already have it). */
    private static OnnxRef withDirectionAxis(OnnxContext ctx, ModelSpec spec, Parameters params, String name) {
        Tensor t = params.get(name);
        if (spec.directions() == 2) {
            return ctx.initializer(name, Arrays.stream(t.shape()).asLongStream().toArray(), t.data());
        }
        long[] shape = new long[t.shape().length + 1];
        shape[0] = 1;
        for (int i = 0; i < t.shape().length; i++) {
            shape[i + 1] = t.shape()[i];
        }
        return ctx.initializer(name, shape, t.data());
    }
}
