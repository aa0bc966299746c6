package dev.rnn4j.spi;

import com.google.inject.Module;
import java.util.Set;

/**
 * Registers an engine with {@link java.util.ServiceLoader}. Cheap to construct: it must not start the
 * engine; that happens when the injector built from {@link #module()} creates the {@link Backend}.
 */
public interface BackendProvider {

    /** The name users select it by, e.g. {@code native}. */
    String name();

    /** What the engine can do. */
    Set<Capability> capabilities();

    /** One unconditional Guice module that binds {@link Backend}. */
    Module module();
}
