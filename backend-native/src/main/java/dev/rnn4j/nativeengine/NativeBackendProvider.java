package dev.rnn4j.nativeengine;

import com.google.inject.Module;
import dev.rnn4j.spi.BackendProvider;
import dev.rnn4j.spi.Capability;
import java.util.EnumSet;
import java.util.Set;

/** Registers the pure-Java engine under the name {@code native}. */
public final class NativeBackendProvider implements BackendProvider {
    public static final String NAME = "native";

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
        return new NativeModule(NativeOptions.fromSystemProperties());
    }
}
