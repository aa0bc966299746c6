/**
 * The {@code rnn4j} command line (picocli), {@link dev.rnn4j.cli.Main} behind the {@code ./rnn4j} launcher, with eight
 * commands: {@code train} (a task on any training engine, resumable), {@code eval} (a saved model on any engine),
 * {@code export} (ONNX), {@code onnx-test} (ONNX node-test folders), {@code bench} (engines timed as ratios),
 * {@code generate} (text from a char model), {@code example} (one example program) and {@code tour} (all of them).
 * Bad flags and bad input exit with code 2 and one line on stderr.
 */
package dev.rnn4j.cli;
