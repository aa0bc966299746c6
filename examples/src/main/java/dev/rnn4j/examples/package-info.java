/**
 * What the example programs share: {@link dev.rnn4j.runs.TrainingRun} (one training of a task, with its
 * {@code metrics.json} and loss curve) and {@link dev.rnn4j.examples.CharSampler}. The programs are in
 * {@code dev.rnn4j.examples.programs}, the tasks in {@code dev.rnn4j.examples.tasks}, figures and
 * {@code metrics.json} in {@code dev.rnn4j.examples.report}; the command line that runs them is {@code rnn4j-cli}.
 */
package dev.rnn4j.examples;
