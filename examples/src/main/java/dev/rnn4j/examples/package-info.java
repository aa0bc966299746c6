/**
 * The {@code rnn4j} command line (picocli): {@code train} and {@code eval} on any backend.
 * {@link dev.rnn4j.examples.Main} is the entry point behind the {@code ./rnn4j} launcher.
 */
package dev.rnn4j.examples;
