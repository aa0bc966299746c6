/**
 * The contracts every engine implements, in one place.
 *
 * <p>An engine ships a {@link dev.rnn4j.spi.BackendProvider} registered in
 * {@code META-INF/services/dev.rnn4j.spi.BackendProvider}, declaring its {@link dev.rnn4j.spi.Capability}s once.
 * Its Guice module binds {@link dev.rnn4j.spi.Backend}, which builds {@link dev.rnn4j.model.Model}s (inference) and,
 * with {@link dev.rnn4j.spi.Capability#TRAINING}, {@link dev.rnn4j.spi.TrainableModel}s from a
 * {@link dev.rnn4j.spec.ModelSpec} and canonical {@link dev.rnn4j.params.Parameters}. A trainable model gives the
 * training loop an {@link dev.rnn4j.spi.Updater} (clipping and the optimizer where its parameters live; by default
 * core's {@link dev.rnn4j.train.HostUpdater}); an engine may run any ONNX file as an
 * {@link dev.rnn4j.spi.OnnxSession} and expose its activations through {@link dev.rnn4j.spi.Introspection}.
 * Everything else (data, losses, the training loop, optimizers, metrics) lives in core and is the same for every
 * engine.
 */
package dev.rnn4j.spi;
