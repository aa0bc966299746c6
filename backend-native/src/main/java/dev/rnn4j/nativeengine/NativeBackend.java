package dev.rnn4j.nativeengine;

import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.interpreter.OnnxInterpreter;
import dev.rnn4j.onnx.OnnxModels;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.spi.OnnxSession;
import dev.rnn4j.spi.TrainableModel;
import jakarta.inject.Inject;
import java.util.Set;

/** The pure-Java engine. */
public final class NativeBackend implements Backend {
    private final Gemm gemm;

    @Inject
    NativeBackend(Gemm gemm) {
        this.gemm = gemm;
    }

    /** For tests and benchmarks that pick the kernels themselves. */
    public static NativeBackend create(Gemm gemm) {
        return new NativeBackend(gemm);
    }

    @Override
    public String name() {
        return NativeBackendProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return NativeBackendProvider.CAPABILITIES;
    }

    /** The kernels in use, {@code vector} or {@code scalar}. */
    public String kernels() {
        return gemm.kernels().name();
    }

    @Override
    public Model newModel(ModelSpec spec, Parameters params) {
        return new NativeModel(spec, params, gemm, 0L);
    }

    @Override
    public TrainableModel newTrainableModel(ModelSpec spec, Parameters params, long seed) {
        return new NativeModel(spec, params, gemm, seed);
    }

    /** Runs any supported ONNX graph with the pure-Java interpreter. */
    @Override
    public OnnxSession openOnnx(byte[] onnx) {
        return new OnnxInterpreter(OnnxModels.parse(onnx, "ONNX model"));
    }
}
