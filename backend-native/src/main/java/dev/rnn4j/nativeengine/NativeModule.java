package dev.rnn4j.nativeengine;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.spi.Backend;

/** Binds the native {@link Backend} and its matrix kernels. */
public final class NativeModule extends AbstractModule {
    private final NativeOptions options;

    public NativeModule(NativeOptions options) {
        this.options = options;
    }

    @Override
    protected void configure() {
        bind(Backend.class).to(NativeBackend.class);
    }

    @Provides
    @Singleton
    Gemm gemm() {
        return new Gemm(options.createKernels(), options.threads());
    }
}
