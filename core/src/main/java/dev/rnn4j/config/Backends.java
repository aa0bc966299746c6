package dev.rnn4j.config;

import com.google.inject.Guice;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.BackendProvider;
import dev.rnn4j.spi.Capability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The engines on the classpath, found through {@link ServiceLoader}.
 *
 * <p>Example:
 * <pre>{@code
 * Backend backend = Backends.create(BackendSelection.resolve(flag).name(), EnumSet.of(Capability.TRAINING));
 * }</pre>
 */
public final class Backends {

    private Backends() {
    }

    /** Every registered provider, sorted by name. Constructing a provider does not start its engine. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparing(BackendProvider::name));
        return list;
    }

    /** The names of every registered backend. */
    public static List<String> names() {
        return providers().stream().map(BackendProvider::name).collect(Collectors.toList());
    }

    /**
     * The provider registered under {@code name}.
     *
     * @throws BackendException listing the available backends if none has that name
     */
    public static BackendProvider provider(String name) {
        for (BackendProvider p : providers()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new BackendException("Unknown backend '" + name + "'. Available backends: "
                + String.join(", ", names()));
    }

    /**
     * Starts the named backend after checking it has every {@code required} capability.
     *
     * @throws BackendException for an unknown name or a missing capability (e.g. training on an
     *                          inference-only engine), before the engine starts
     */
    public static Backend create(String name, Set<Capability> required) {
        BackendProvider provider = provider(name);
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(required);
        missing.removeAll(provider.capabilities());
        if (!missing.isEmpty()) {
            List<String> capable = providers().stream()
                    .filter(p -> p.capabilities().containsAll(required))
                    .map(BackendProvider::name).collect(Collectors.toList());
            throw new BackendException("Backend '" + name + "' cannot do " + missing
                    + (missing.contains(Capability.TRAINING) ? " (it is inference-only)" : "")
                    + ". Backends that can: " + String.join(", ", capable));
        }
        return Guice.createInjector(provider.module()).getInstance(Backend.class);
    }
}
