package dev.rnn4j.cli;

import dev.rnn4j.config.BackendSelection;
import dev.rnn4j.config.Backends;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The {@code --backend} option shared by every command; the choice is resolved once, here. */
final class BackendOption {
    private static final Logger LOG = LoggerFactory.getLogger(BackendOption.class);

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Engine to run on (default: system property rnn4j.backend, env RNN4J_BACKEND, "
                    + "rnn4j.properties, else native).")
    String backend;

    @Option(names = "--device", paramLabel = "cpu|gpu|auto",
            description = "Device for engines that have one (pytorch): cpu, gpu or auto (default: auto).")
    String device;

    /** Checks {@code --device} and passes it on to engines with devices (they read it when they start). */
    void applyDevice() {
        if (device != null) {
            if (!device.matches("cpu|gpu|auto")) {
                throw new IllegalArgumentException("--device must be cpu, gpu or auto, got '" + device + "'");
            }
            System.setProperty("rnn4j.device", device);
        }
    }

    /**
     * Refuses {@code --device gpu} for an engine without {@link Capability#GPU} ({@code backendName} as a request
     * names it; null for the configured one), before any work.
     */
    void checkDevice(String backendName) {
        if ("gpu".equals(device)) {
            Set<Capability> gpu = java.util.EnumSet.of(Capability.GPU);
            String name = BackendSelection.resolve(backendName).name();
            if (!Backends.provider(name).capabilities().contains(Capability.GPU)) {
                throw new IllegalArgumentException("--device gpu: backend '" + name + "' cannot run on a GPU; backends "
                        + "that can: " + String.join(", ", Backends.providers().stream()
                        .filter(p -> p.capabilities().containsAll(gpu)).map(p -> p.name()).toList()));
            }
        }
    }

    /** Resolves the name and starts the engine, which must have {@code required}. */
    Backend start(Set<Capability> required) {
        applyDevice();
        checkDevice(backend);
        BackendSelection selection = BackendSelection.resolve(backend);
        Backend b = Backends.create(selection.name(), required);
        LOG.info("backend {} (from {})", b.name(), selection.source().description());
        return b;
    }
}
