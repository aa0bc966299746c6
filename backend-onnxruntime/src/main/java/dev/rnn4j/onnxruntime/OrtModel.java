package dev.rnn4j.onnxruntime;

import dev.rnn4j.data.Batch;
import dev.rnn4j.onnx.OnnxExporter;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import java.util.Arrays;
import java.util.Map;

/** An rnn4j model exported to ONNX and run by ONNX Runtime. */
final class OrtModel implements Model {
    private final ModelSpec spec;
    private final Parameters params;
    private final OrtRunner runner;

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
        long[] lengths = Arrays.stream(batch.lengths()).asLongStream().toArray();
        Map<String, OnnxValue> out = runner.run(Map.of(
                OnnxExporter.INPUT, OnnxValue.floats(new long[] {batch.size(), batch.steps(), batch.inputSize()},
                        batch.inputs()),
                OnnxExporter.LENGTHS, OnnxValue.longs(OnnxValue.Type.INT32, new long[] {batch.size()}, lengths)));
        OnnxValue r = out.get(OnnxExporter.OUTPUT);
        int steps = r.rank() == 3 ? (int) r.shape()[1] : 1;
        return new Output(r.floats(), batch.size(), steps, spec.outputSize());
    }

    @Override
    public Parameters parameters() {
        return params.copy();
    }

    @Override
    public void close() {
        runner.close();
    }
}
