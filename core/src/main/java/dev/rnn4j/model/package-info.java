/**
 * What users hold: a {@link dev.rnn4j.model.Model} (inference) or {@link dev.rnn4j.model.TrainableModel} on some
 * engine, its {@link dev.rnn4j.model.Output}, an {@link dev.rnn4j.model.OnnxSession} for arbitrary ONNX files,
 * and the optional {@link dev.rnn4j.model.Introspection}. Most programs use the front door instead,
 * {@link dev.rnn4j.Rnn4j} and {@link dev.rnn4j.RnnModel}; engine writers implement {@link dev.rnn4j.spi}.
 */
package dev.rnn4j.model;
