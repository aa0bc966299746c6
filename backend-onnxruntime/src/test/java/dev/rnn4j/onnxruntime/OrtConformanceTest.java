package dev.rnn4j.onnxruntime;

import dev.rnn4j.config.Backends;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.testing.BackendConformanceTest;
import java.util.EnumSet;

/** The shared conformance suite on ONNX Runtime (forward checks against native; it cannot train). */
class OrtConformanceTest extends BackendConformanceTest {
    private final Backend backend = Backends.create("onnxruntime", EnumSet.noneOf(Capability.class));

    @Override
    protected Backend backend() {
        return backend;
    }

    @Override
    protected Backend reference() {
        return Backends.create("native", EnumSet.noneOf(Capability.class));
    }
}
