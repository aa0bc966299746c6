package dev.rnn4j.onnxruntime;

import dev.rnn4j.Provenance;
import dev.rnn4j.data.Batch;
import dev.rnn4j.onnx.export.OnnxExporter;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** An rnn4j model exported to ONNX and run by ONNX Runtime. */
final class OrtModel implements Model {
    private final ModelSpec spec;
    private final Parameters params;
    private final OrtRunner runner;
    /** A session of the export with state inputs, opened on the first stateful call. */
    private OrtRunner statefulRunner;

    OrtModel(ModelSpec spec, Parameters params, byte[] onnx) {
        this.spec = spec;
        this.params = params;
        this.runner = new OrtRunner(onnx);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Output forward(Batch batch) {
        batch.requireFits(spec);
        return output(batch, runner.run(feeds(batch)));
    }

    /**
     * Feeds the state to the exported graph's optional inputs {@code initial_h.l} ({@code initial_c.l}) and reads
     * {@code final_h.l} ({@code final_c.l}) back.
     */
    @Override
    public synchronized StatefulOutput forward(Batch batch, State initial) {
        State.check(spec, batch, initial);
        State end = State.zeros(spec, batch.size());
        if (initial == null) {
            initial = end.copy(); // the export with state inputs is always fed one
        }
        Map<String, OnnxValue> feeds = feeds(batch);
        long[] shape = {spec.directions(), batch.size(), spec.hiddenSize()};
        for (int l = 0; l < spec.numLayers(); l++) {
            feeds.put(OnnxExporter.initialH(l), OnnxValue.floats(shape, initial.h(l)));
            if (initial.hasCell()) {
                feeds.put(OnnxExporter.initialC(l), OnnxValue.floats(shape, initial.c(l)));
            }
        }
        if (statefulRunner == null) {
            statefulRunner = new OrtRunner(OnnxExporter.export(spec, params, Provenance.unknown(), true).toByteArray());
        }
        Map<String, OnnxValue> out = statefulRunner.run(feeds);
        for (int l = 0; l < spec.numLayers(); l++) {
            float[] h = out.get(OnnxExporter.finalH(l)).floats();
            System.arraycopy(h, 0, end.h(l), 0, h.length);
            if (end.hasCell()) {
                float[] c = out.get(OnnxExporter.finalC(l)).floats();
                System.arraycopy(c, 0, end.c(l), 0, c.length);
            }
        }
        return new StatefulOutput(output(batch, out), end);
    }

    private static Map<String, OnnxValue> feeds(Batch batch) {
        long[] lengths = Arrays.stream(batch.lengths()).asLongStream().toArray();
        Map<String, OnnxValue> feeds = new HashMap<>();
        feeds.put(OnnxExporter.INPUT, OnnxValue.floats(new long[] {batch.size(), batch.steps(), batch.inputSize()},
                batch.inputs()));
        feeds.put(OnnxExporter.LENGTHS, OnnxValue.longs(OnnxValue.Type.INT32, new long[] {batch.size()}, lengths));
        return feeds;
    }

    private Output output(Batch batch, Map<String, OnnxValue> out) {
        OnnxValue r = out.get(OnnxExporter.OUTPUT);
        int steps = r.rank() == 3 ? (int) r.shape()[1] : 1;
        return new Output(r.floats(), batch.size(), steps, spec.outputSize());
    }

    @Override
    public Parameters parameters() {
        return params.copy();
    }

    @Override
    public synchronized void close() {
        runner.close();
        if (statefulRunner != null) {
            statefulRunner.close();
        }
    }
}
