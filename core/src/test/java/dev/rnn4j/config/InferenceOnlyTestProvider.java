package dev.rnn4j.config;

import com.google.inject.Module;
import dev.rnn4j.spi.BackendProvider;
import dev.rnn4j.spi.Capability;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A provider registered only in core's tests: inference-only, and it counts module requests. */
public final class InferenceOnlyTestProvider implements BackendProvider {
    static final String NAME = "test-inference-only";
    private static final AtomicInteger MODULES = new AtomicInteger();

    static int modulesBuilt() {
        return MODULES.get();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }

    @Override
    public Module module() {
        MODULES.incrementAndGet();
        return binder -> { };
    }
}
