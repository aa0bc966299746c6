/**
 * The service-provider interface every engine implements.
 *
 * <p>An engine ships a {@link dev.rnn4j.spi.BackendProvider} registered in
 * {@code META-INF/services/dev.rnn4j.spi.BackendProvider}. Its Guice module binds {@link dev.rnn4j.spi.Backend},
 * which builds {@link dev.rnn4j.model.Model}s (inference) and {@link dev.rnn4j.model.TrainableModel}s from a
 * {@link dev.rnn4j.spec.ModelSpec} and canonical {@link dev.rnn4j.params.Parameters}. Everything else
 * (data, losses, the training loop, optimizers, metrics) lives in core and is the same for every engine.
 */
package dev.rnn4j.spi;
