/**
 * What users hold: a {@link dev.rnn4j.model.Model} on some engine, its {@link dev.rnn4j.model.Output}, the recurrent
 * {@link dev.rnn4j.model.State} and {@link dev.rnn4j.model.StatefulOutput}. Most programs use the front door instead,
 * {@link dev.rnn4j.Rnn4j} and {@link dev.rnn4j.RnnModel}; what an engine implements is in {@link dev.rnn4j.spi}.
 */
package dev.rnn4j.model;
