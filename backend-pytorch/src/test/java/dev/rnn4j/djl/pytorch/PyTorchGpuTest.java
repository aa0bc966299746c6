package dev.rnn4j.djl.pytorch;

import dev.rnn4j.djl.DjlEngines;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import dev.rnn4j.config.Backends;
import dev.rnn4j.data.Batch;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.testing.TestData;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** On a CUDA device, the PyTorch backend gives the native engine's outputs; skipped where no GPU is visible. */
class PyTorchGpuTest {

    @Test
    void gpuForwardMatchesNative() {
        Engine engine = DjlEngines.start("PyTorch");
        assumeTrue(engine.getGpuCount() > 0, "no CUDA device visible to PyTorch (CPU natives or no GPU): skipped");
        String previous = System.getProperty("rnn4j.device");
        System.setProperty("rnn4j.device", "gpu");
        try {
            ModelSpec spec = TestData.spec(CellType.LSTM, 2, OutputMode.EVERY_STEP, HeadKind.CLASSIFICATION);
            Parameters params = Initializer.initialize(spec, 1);
            Batch batch = TestData.batch(spec, 8, 6, 2);
            try (Model gpu = Backends.create("pytorch", EnumSet.noneOf(Capability.class)).newModel(spec, params);
                 Model cpu = Backends.create("native", EnumSet.noneOf(Capability.class)).newModel(spec, params)) {
                // cuDNN may use TF32-free fp32 kernels with a different summation order: 1e-4
                ModelAssertions.assertOutputsClose(cpu.forward(batch), gpu.forward(batch), 1e-4, "gpu vs native");
            }
        } finally {
            if (previous == null) {
                System.clearProperty("rnn4j.device");
            } else {
                System.setProperty("rnn4j.device", previous);
            }
        }
    }
}
