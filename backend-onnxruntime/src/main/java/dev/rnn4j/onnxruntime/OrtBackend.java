package dev.rnn4j.onnxruntime;

import dev.rnn4j.onnx.export.OnnxExporter;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.spi.OnnxSession;
import dev.rnn4j.spi.TrainableModel;
import jakarta.inject.Inject;
import java.util.Set;

/** Runs rnn4j models on ONNX Runtime by exporting them in memory. */
public final class OrtBackend implements Backend {

    @Inject
    OrtBackend() {
    }

    @Override
    public String name() {
        return OrtBackendProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return OrtBackendProvider.CAPABILITIES;
    }

    @Override
    public Model newModel(ModelSpec spec, Parameters params) {
        return new OrtModel(spec, params.copy(), OnnxExporter.export(spec, params).toByteArray());
    }

    @Override
    public OnnxSession openOnnx(byte[] onnx) {
        return new OrtRunner(onnx);
    }

    @Override
    public TrainableModel newTrainableModel(ModelSpec spec, Parameters params, long seed) {
        throw new UnsupportedOperationException("The onnxruntime backend is inference-only: train on native");
    }
}
