package dev.rnn4j.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.rnn4j.config.Backends;
import dev.rnn4j.data.Batch;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.onnx.export.OnnxExporter;
import dev.rnn4j.onnx.OnnxModels;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.spi.OnnxSession;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.testing.TestData;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model trained on the native engine, exported to ONNX, gives the same outputs on ONNX Runtime and on the
 * native ONNX interpreter (1e-5 absolute, fp32); the spec read back from the file's metadata equals the
 * original; and export, import, export gives byte-identical files. Every cell type, one and two layers,
 * both output modes, forward-only and bidirectional, padded variable lengths.
 */
class OnnxRoundTripTest {
    private static final Backend NATIVE = Backends.create("native", EnumSet.of(Capability.TRAINING));
    private static final Backend ORT = Backends.create("onnxruntime", EnumSet.noneOf(Capability.class));

    static Stream<Arguments> specs() {
        List<Arguments> list = new ArrayList<>();
        for (ModelSpec base : TestData.cellVariants()) {
            for (int layers : new int[] {1, 2}) {
                for (OutputMode mode : OutputMode.values()) {
                    if (base.cell() == CellType.MLP && mode == OutputMode.EVERY_STEP) {
                        continue;
                    }
                    HeadKind head = mode == OutputMode.EVERY_STEP ? HeadKind.CLASSIFICATION : HeadKind.REGRESSION;
                    for (boolean bidirectional : base.cell() == CellType.MLP ? new boolean[] {false}
                            : new boolean[] {false, true}) {
                        ModelSpec spec = TestData.spec(base.cell(), layers, mode, head).toBuilder()
                                .optLinearBeforeReset(base.linearBeforeReset()).optBidirectional(bidirectional).build();
                        list.add(Arguments.of(TestData.label(spec), spec));
                    }
                }
            }
        }
        return list.stream();
    }

    /** A few training steps so the weights are no longer the initial ones. */
    private static Parameters trained(ModelSpec spec) {
        List<Sequence> seqs = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Batch b = TestData.batch(spec, 8, 6, 100 + k);
            for (int n = 0; n < b.size(); n++) {
                int len = b.lengths()[n];
                float[] x = Arrays.copyOfRange(b.inputs(), n * b.steps() * b.inputSize(),
                        (n * b.steps() + len) * b.inputSize());
                int rows = b.perStep() ? len : 1;
                seqs.add(b.targets() != null
                        ? Sequence.regression(x, len, Arrays.copyOfRange(b.targets(), n * b.targetSteps() * b.targetSize(),
                                (n * b.targetSteps() + rows) * b.targetSize()))
                        : Sequence.classification(x, len, Arrays.copyOfRange(b.labels(), n * b.targetSteps(),
                                n * b.targetSteps() + rows)));
            }
        }
        SequenceDataset data = new SequenceDataset(spec.inputSize(), spec.head(), spec.outputSize(), spec.outputMode(), seqs);
        try (TrainableModel m = NATIVE.newTrainableModel(spec, Initializer.initialize(spec, 4), 4)) {
            new Trainer(TrainerConfig.builder().optMaxSteps(5).optBatchSize(8).optOptimizer(OptimizerConfig.adam(0.05f))
                    .build(), List.of()).fit(m, data, data);
            return m.parameters();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void exportedModelRunsEverywhere(String label, ModelSpec spec) {
        Parameters params = trained(spec);
        ModelProto proto = OnnxExporter.export(spec, params);
        Batch batch = TestData.batch(spec, 5, 7, 17);

        Output expected;
        try (Model m = NATIVE.newModel(spec, params)) {
            expected = m.forward(batch);
        }
        try (Model m = ORT.newModel(spec, params)) {
            ModelAssertions.assertOutputsClose(expected, m.forward(batch), 1e-5, label + " onnxruntime");
        }
        Map<String, OnnxValue> feeds = Map.of(
                OnnxExporter.INPUT, OnnxValue.floats(new long[] {batch.size(), batch.steps(), batch.inputSize()}, batch.inputs()),
                OnnxExporter.LENGTHS, OnnxValue.longs(OnnxValue.Type.INT32, new long[] {batch.size()},
                        Arrays.stream(batch.lengths()).asLongStream().toArray()));
        try (OnnxSession s = NATIVE.openOnnx(proto.toByteArray())) {
            ModelAssertions.assertValuesClose(expected.values(), s.run(feeds).get(OnnxExporter.OUTPUT).floats(), 1e-5, 0,
                    label + " native ONNX interpreter");
        }

        ModelProto read = OnnxModels.parse(proto.toByteArray(), label);
        ModelSpec back = OnnxModels.spec(read).orElseThrow();
        assertEquals(spec, back, "spec from metadata");
        Parameters imported = OnnxModels.parameters(read, back);
        ModelAssertions.assertParametersClose(params, imported, 0, label + " parameters from initializers");
        assertArrayEquals(proto.toByteArray(), OnnxExporter.export(back, imported).toByteArray(),
                "export, import, export gives the same file");
    }

    /**
     * An export with state inputs streams on ONNX Runtime and on the native interpreter: the first half of padded
     * sequences from a given state, the second half from the first's {@code final_*} outputs, gives the native model's
     * one-call outputs and final state (1e-5); a bidirectional export, run in one call from the state, too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void anExportWithStateInputsStreamsInTwoHalves(String label, ModelSpec spec) {
        org.junit.jupiter.api.Assumptions.assumeTrue(spec.cell() != CellType.MLP, "the MLP has no state");
        Parameters params = trained(spec);
        Batch whole = TestData.batch(spec, new int[] {6, 4, 5}, 19);
        State start = TestData.state(spec, 3, 23);
        StatefulOutput expected;
        try (Model m = NATIVE.newModel(spec, params)) {
            expected = m.forward(whole, start);
        }
        byte[] onnx = OnnxExporter.export(spec, params, dev.rnn4j.Provenance.unknown(), true).toByteArray();
        for (Backend runtime : List.of(ORT, NATIVE)) {
            String what = label + " on " + (runtime == ORT ? "onnxruntime" : "the native interpreter");
            // a bidirectional layer's reverse direction reads the whole sequence: one call from the state
            int[] cuts = spec.bidirectional() ? new int[] {0, 6} : new int[] {0, 3, 6};
            try (OnnxSession s = runtime.openOnnx(onnx)) {
                List<Map<String, OnnxValue>> calls = new ArrayList<>();
                for (int k = 0; k + 1 < cuts.length; k++) {
                    calls.add(s.run(feeds(spec, TestData.steps(whole, cuts[k], cuts[k + 1]), k == 0 ? start : null,
                            k == 0 ? null : calls.get(k - 1))));
                }
                Map<String, OnnxValue> second = calls.get(calls.size() - 1);
                Output out = expected.output();
                for (int n = 0; n < 3; n++) {
                    for (int t = 0; t < whole.lengths()[n]; t++) {
                        int k = t < cuts[1] ? 0 : 1;
                        float[] values = calls.get(k).get(OnnxExporter.OUTPUT).floats();
                        int steps = out.steps() == 1 ? 1 : cuts[k + 1] - cuts[k];
                        int s0 = out.steps() == 1 ? 0 : t - cuts[k];
                        if (out.steps() == 1 && t != whole.lengths()[n] - 1) {
                            continue; // last-step output: compare the last valid step only
                        }
                        for (int c = 0; c < spec.outputSize(); c++) {
                            assertEquals(out.get(n, out.steps() == 1 ? 0 : t, c),
                                    values[(n * steps + s0) * spec.outputSize() + c], 1e-5, what + ": sequence " + n
                                            + " step " + t);
                        }
                    }
                }
                for (int l = 0; l < spec.numLayers(); l++) {
                    ModelAssertions.assertValuesClose(expected.state().h(l),
                            second.get(OnnxExporter.finalH(l)).floats(), 1e-5, 0, what + ": final_h." + l);
                    if (expected.state().hasCell()) {
                        ModelAssertions.assertValuesClose(expected.state().c(l),
                                second.get(OnnxExporter.finalC(l)).floats(), 1e-5, 0, what + ": final_c." + l);
                    }
                }
            }
        }
    }

    /** Inputs, lengths and the state: {@code start}, or the {@code final_*} outputs of {@code previous}. */
    private static Map<String, OnnxValue> feeds(ModelSpec spec, Batch batch, State start,
                                                Map<String, OnnxValue> previous) {
        Map<String, OnnxValue> feeds = new java.util.HashMap<>();
        feeds.put(OnnxExporter.INPUT, OnnxValue.floats(new long[] {batch.size(), batch.steps(), batch.inputSize()},
                batch.inputs()));
        feeds.put(OnnxExporter.LENGTHS, OnnxValue.longs(OnnxValue.Type.INT32, new long[] {batch.size()},
                Arrays.stream(batch.lengths()).asLongStream().toArray()));
        long[] shape = {spec.directions(), batch.size(), spec.hiddenSize()};
        for (int l = 0; l < spec.numLayers(); l++) {
            feeds.put(OnnxExporter.initialH(l), start != null ? OnnxValue.floats(shape, start.h(l))
                    : previous.get(OnnxExporter.finalH(l)));
            if (spec.cell().hasCellState()) {
                feeds.put(OnnxExporter.initialC(l), start != null ? OnnxValue.floats(shape, start.c(l))
                        : previous.get(OnnxExporter.finalC(l)));
            }
        }
        return feeds;
    }
}
