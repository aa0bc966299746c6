package dev.rnn4j.djl.tensorflow;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.BackendProvider;
import dev.rnn4j.spi.Capability;
import java.util.EnumSet;
import java.util.Set;

/**
 * Registers DJL's TensorFlow engine as {@code tensorflow}: inference, and training through explicit BPTT
 * (DJL's TensorFlow engine records no gradients). Constructing it does not start DJL.
 */
public final class TensorFlowProvider implements BackendProvider {
    public static final String NAME = "tensorflow";

    @Override
    public String name() {
        return NAME;
    }

    /** What this engine can do: declared here only (its backend returns this set). */
    static final Set<Capability> CAPABILITIES = java.util.Collections.unmodifiableSet(EnumSet.of(Capability.TRAINING));

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Backend.class).to(TensorFlowBackend.class);
            }
        };
    }
}
