/**
 * Sequences, data sets and padded batches.
 *
 * <p>A {@link dev.rnn4j.data.Batch} holds {@code N} sequences padded to the longest one: inputs
 * {@code [N, T, I]} (batch-major, row-major), their {@code lengths}, and targets. Losses and metrics
 * ignore padded steps; "last step" always means each sequence's own last valid step.
 */
package dev.rnn4j.data;
