package dev.rnn4j.djl.pytorch;

import dev.rnn4j.config.Backends;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.testing.BackendConformanceTest;
import java.util.EnumSet;

/** The shared conformance suite on DJL's PyTorch engine, with the native engine as the reference. */
class PyTorchConformanceTest extends BackendConformanceTest {
    private static final Backend BACKEND = Backends.create("pytorch", EnumSet.of(Capability.TRAINING));

    @Override
    protected Backend backend() {
        return BACKEND;
    }

    /**
     * libtorch's result can differ in the last bit (seen: 1 ulp, -0.14497523 vs -0.14497522) when the same model runs
     * on another Java thread, even one call at a time: its OpenMP thread team and kernel choice are per calling
     * thread. 1e-6 absolute is a few ulps of these outputs.
     */
    @Override
    protected double otherThreadTolerance() {
        return 1e-6;
    }

    @Override
    protected Backend reference() {
        return Backends.create("native", EnumSet.of(Capability.TRAINING));
    }
}
