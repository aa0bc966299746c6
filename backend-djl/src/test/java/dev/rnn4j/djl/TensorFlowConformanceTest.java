package dev.rnn4j.djl;

import dev.rnn4j.config.Backends;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.testing.BackendConformanceTest;
import java.util.EnumSet;

/** The shared conformance suite on DJL's TensorFlow engine (forward only), with the native engine as reference. */
class TensorFlowConformanceTest extends BackendConformanceTest {
    private static final Backend BACKEND = Backends.create("tensorflow", EnumSet.noneOf(Capability.class));

    @Override
    protected Backend backend() {
        return BACKEND;
    }

    @Override
    protected Backend reference() {
        return Backends.create("native", EnumSet.noneOf(Capability.class));
    }
}
