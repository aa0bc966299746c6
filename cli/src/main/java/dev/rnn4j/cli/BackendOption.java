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

    /** Resolves the name and starts the engine, which must have {@code required}. */
    Backend start(Set<Capability> required) {
        applyDevice();
        BackendSelection selection = BackendSelection.resolve(backend);
        Backend b = Backends.create(selection.name(), required);
        LOG.info("backend {} (from {})", b.name(), selection.source().description());
        return b;
    }
}
