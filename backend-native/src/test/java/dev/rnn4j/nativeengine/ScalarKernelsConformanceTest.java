package dev.rnn4j.nativeengine;

import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.testing.BackendConformanceTest;

/** The conformance suite again on the scalar fallback kernels, single-threaded. */
class ScalarKernelsConformanceTest extends BackendConformanceTest {
    private final Backend backend = NativeBackend.create(new Gemm(Kernels.scalar(), false));

    @Override
    protected Backend backend() {
        return backend;
    }
}
