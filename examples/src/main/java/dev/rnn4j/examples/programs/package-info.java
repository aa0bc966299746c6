/**
 * The example programs behind {@code ./rnn4j example NAME} and {@code ./rnn4j tour}. Each trains on the
 * configured backend, shows progress, and leaves {@code out/<example>/} with {@code report.md} (what was run,
 * the results table, the figures inline), PNG figures and {@code metrics.json}. The default setting is small
 * (the tour runs them all in minutes); {@code --full} reproduces the reference numbers.
 */
package dev.rnn4j.examples.programs;
