/**
 * The training loop, generic over engines: losses (masked MSE and softmax cross-entropy), optimizers
 * with PyTorch's exact update formulas (SGD with momentum, Adam, RMSprop), clipping by global gradient
 * norm, periodic evaluation, early stop on a target metric, and listeners (progress, CSV, checkpoints).
 *
 * <p>Example:
 * <pre>{@code
 * TrainerConfig config = TrainerConfig.builder().optMaxSteps(2000).optBatchSize(32)
 *     .optOptimizer(OptimizerConfig.adam(1e-3f)).optTarget("accuracy", 0.99).build();
 * TrainingResult result = new Trainer(config, List.of(new ProgressListener())).fit(model, train, test);
 * }</pre>
 */
package dev.rnn4j.train;
