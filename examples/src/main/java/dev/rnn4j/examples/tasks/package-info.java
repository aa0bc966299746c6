/**
 * Tasks as the command line sees them: a data generator from {@code datasets}, the model shape it needs,
 * its metric and target. {@link dev.rnn4j.examples.tasks.Tasks} maps {@code --task} names to them.
 */
package dev.rnn4j.examples.tasks;
