package dev.rnn4j.djl.pytorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rnn4j.config.Threads;
import dev.rnn4j.data.Batch;
import dev.rnn4j.djl.DjlEngines;
import dev.rnn4j.djl.DjlModel;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.spi.TrainableModel;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PyTorch through DJL: RNN, LSTM and GRU (linear_before_reset = 1, PyTorch's own GRU) run as libtorch's fused
 * ops; peephole and coupled-gate LSTMs, the ONNX-default GRU and the MLP are composed from NDArray ops.
 * Gradients come from libtorch's autograd. The device follows {@code -Drnn4j.device=cpu|gpu|auto}.
 *
 * <p>At start each fused op is checked once against the same cell composed from NDArray ops on a small random
 * batch. On some CPUs libtorch 2.7.1's fused LSTM (oneDNN's AVX-512 kernel) gives wrong outputs, off by about
 * 0.1 (seen on an AMD EPYC with AVX-512; setting {@code ONEDNN_MAX_CPU_ISA=AVX2} before the JVM starts fixes it);
 * a cell whose fused op disagrees is composed instead, with a warning, so results never depend on the CPU.
 */
public final class PyTorchBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(PyTorchBackend.class);
    /** Fused and composed forms differ only in summation order: 1e-4 is far above that and far below the bug. */
    private static final double PROBE_TOLERANCE = 1e-4;

    private final DjlModel.Runtime runtime;

    @Inject
    PyTorchBackend() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            // read by DJL when libtorch starts (once per process)
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Threads.configured()));
        }
        Engine engine = DjlEngines.start("PyTorch");
        DjlModel.Runtime probe = new DjlModel.Runtime(engine, DjlEngines.device(engine), Set.of(), new ReentrantLock());
        Set<CellType> fusedCells = EnumSet.noneOf(CellType.class);
        for (CellType cell : EnumSet.of(CellType.RNN_TANH, CellType.LSTM, CellType.GRU)) {
            double error = fusedError(probe, cell);
            if (error <= PROBE_TOLERANCE) {
                fusedCells.add(cell);
            } else {
                LOG.warn("libtorch's fused {} op differs from the cell's equations on this machine (max abs error {}); "
                        + "composing it from NDArray ops instead (slower). For LSTMs, ONEDNN_MAX_CPU_ISA=AVX2 in the "
                        + "environment usually restores the fused op.", cell.cliName(), error);
            }
        }
        this.runtime = probe.withFusedCells(fusedCells);
    }

    /** Max abs difference between the fused op and the composed cell on a small random padded batch. */
    private static double fusedError(DjlModel.Runtime composedOnly, CellType cell) {
        ModelSpec spec = ModelSpec.builder().setCell(cell).setInputSize(3).setHiddenSize(8)
                .setHead(HeadKind.REGRESSION, 2).setOutputMode(OutputMode.EVERY_STEP).build();
        Parameters params = Initializer.initialize(spec, 7);
        int n = 4;
        int t = 5;
        SplittableRandom rng = new SplittableRandom(11);
        float[] inputs = new float[n * t * 3];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = (float) rng.nextDouble(-1, 1);
        }
        Batch batch = Batch.of(inputs, new int[] {5, 3, 5, 1}, 3);
        try (Model fused = new DjlModel(composedOnly.withFusedCells(EnumSet.of(cell)), spec, params,
                DjlModel.Gradients.NONE, 0L);
             Model composed = new DjlModel(composedOnly, spec, params, DjlModel.Gradients.NONE, 0L)) {
            Output a = fused.forward(batch);
            Output b = composed.forward(batch);
            double max = 0;
            for (int k = 0; k < a.values().length; k++) {
                max = Math.max(max, Math.abs(a.values()[k] - b.values()[k]));
            }
            return max;
        }
    }

    @Override
    public String name() {
        return PyTorchProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return PyTorchProvider.CAPABILITIES;
    }

    @Override
    public Model newModel(ModelSpec spec, Parameters params) {
        return new DjlModel(runtime, spec, params, DjlModel.Gradients.NONE, 0L);
    }

    @Override
    public TrainableModel newTrainableModel(ModelSpec spec, Parameters params, long seed) {
        return new DjlModel(runtime, spec, params, DjlModel.Gradients.AUTOGRAD, seed);
    }
}
