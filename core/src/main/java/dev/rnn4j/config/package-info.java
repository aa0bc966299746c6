/**
 * Choosing the engine, once, outside Guice.
 *
 * <p>{@link dev.rnn4j.config.BackendSelection} resolves the backend name in this order: command-line flag,
 * system property {@code rnn4j.backend}, environment variable {@code RNN4J_BACKEND}, key {@code backend} in
 * {@code rnn4j.properties} in the working directory, default {@code native}. {@link dev.rnn4j.config.Backends}
 * maps that name to its {@link dev.rnn4j.spi.BackendProvider} and builds the injector from the provider's one
 * unconditional module.
 */
package dev.rnn4j.config;
