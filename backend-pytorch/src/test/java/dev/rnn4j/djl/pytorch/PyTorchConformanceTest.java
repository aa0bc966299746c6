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

    @Override
    protected Backend reference() {
        return Backends.create("native", EnumSet.of(Capability.TRAINING));
    }
}
