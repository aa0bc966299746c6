package dev.rnn4j.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.Model;
import dev.rnn4j.spi.TrainableModel;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Set;

/**
 * PyTorch through DJL: RNN, LSTM and GRU (linear_before_reset = 1, PyTorch's own GRU) run as libtorch's fused
 * ops; peephole and coupled-gate LSTMs, the ONNX-default GRU and the MLP are composed from NDArray ops.
 * Gradients come from libtorch's autograd. The device follows {@code -Drnn4j.device=cpu|gpu|auto}.
 */
public final class PyTorchBackend implements Backend {
    private final Engine engine;
    private final Device device;

    @Inject
    PyTorchBackend() {
        this.engine = DjlEngines.start("PyTorch");
        this.device = DjlEngines.device(engine);
    }

    @Override
    public String name() {
        return PyTorchProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.TRAINING, Capability.FUSED_RNN, Capability.GPU);
    }

    @Override
    public Model newModel(ModelSpec spec, Parameters params) {
        return new DjlModel(engine, device, spec, params, true, DjlModel.Gradients.NONE, 0L);
    }

    @Override
    public TrainableModel newTrainableModel(ModelSpec spec, Parameters params, long seed) {
        return new DjlModel(engine, device, spec, params, true, DjlModel.Gradients.AUTOGRAD, seed);
    }
}
