/**
 * Saving and loading models, atomically.
 *
 * <p>A model folder holds {@code model.json} (format tag, version, the {@link dev.rnn4j.spec.ModelSpec},
 * free-form {@code info} such as the task configuration and its seed) and {@code parameters.bin} (the
 * canonical parameters; format in {@link dev.rnn4j.io.ModelStore}). Every file is written to a temporary
 * file and moved into place, so a killed run never leaves a half-written model.
 */
package dev.rnn4j.io;
