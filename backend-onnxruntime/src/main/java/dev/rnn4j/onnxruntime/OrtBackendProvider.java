package dev.rnn4j.onnxruntime;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.BackendProvider;
import dev.rnn4j.spi.Capability;
import java.util.EnumSet;
import java.util.Set;

/** Registers ONNX Runtime under the name {@code onnxruntime}; inference only. */
public final class OrtBackendProvider implements BackendProvider {
    public static final String NAME = "onnxruntime";

    @Override
    public String name() {
        return NAME;
    }

    /** What this engine can do: declared here only (its backend returns this set). */
    static final Set<Capability> CAPABILITIES = java.util.Collections.unmodifiableSet(EnumSet.noneOf(Capability.class));

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Backend.class).to(OrtBackend.class);
            }
        };
    }
}
