package dev.rnn4j.nativeengine;

import dev.rnn4j.config.Backends;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.testing.BackendConformanceTest;
import java.util.EnumSet;

/** The shared conformance suite on the native engine, wired through ServiceLoader and Guice. */
class NativeConformanceTest extends BackendConformanceTest {
    private final Backend backend = Backends.create("native", EnumSet.of(Capability.TRAINING));

    @Override
    protected Backend backend() {
        return backend;
    }

    /** The scalar kernels, single-threaded: vector and scalar paths agree end to end. */
    @Override
    protected Backend reference() {
        return NativeBackend.create(new Gemm(Kernels.scalar(), false));
    }
}
