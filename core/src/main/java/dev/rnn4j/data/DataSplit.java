package dev.rnn4j.data;

/**
 * A training set and a held-out test set of one task.
 *
 * @param train for the optimizer
 * @param test  for evaluation, early stop and the reported metric
 */
public record DataSplit(SequenceDataset train, SequenceDataset test) {
}
