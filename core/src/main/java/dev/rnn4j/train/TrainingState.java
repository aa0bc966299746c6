package dev.rnn4j.train;

import dev.rnn4j.model.State;
import dev.rnn4j.params.Parameters;
import java.util.List;

/**
 * Where a run stands after {@code step} optimizer steps: with the model's parameters, all that
 * {@link Trainer#fit(dev.rnn4j.spi.TrainableModel, dev.rnn4j.data.SequenceDataset, dev.rnn4j.data.SequenceDataset,
 * TrainingState)} needs to continue as if it had never stopped (same batches, same dropout masks, same optimizer
 * moments, hence the same loss curve).
 *
 * @param step           optimizer steps taken
 * @param trainingPasses the model's training passes so far (positions its dropout stream)
 * @param optimizer      the optimizer's moments and update count
 * @param lossCurve      the minibatch loss of every step so far
 * @param gradNorms      the gradient norm (before clipping) of every step so far
 * @param evaluations    every evaluation so far
 * @param skippedBatches batches dropped for a NaN or infinite loss or gradient so far (they drew no step; the batch
 *                       order moved past them)
 * @param carried        stateful training: the state the last batch ended with, which the next batch starts from
 *                       ({@code null}: zeros, and always {@code null} when not stateful)
 * @param best           with {@link TrainerConfig#keepBest()}: the best evaluation so far and its parameters
 *                       ({@code null} otherwise)
 */
public record TrainingState(int step, long trainingPasses, Optimizer.State optimizer, List<Double> lossCurve,
                            List<Double> gradNorms, List<TrainingResult.Evaluation> evaluations, int skippedBatches,
                            State carried, Best best) {

    /**
     * The evaluation with the best value of {@link TrainerConfig#keepBest()} so far.
     *
     * @param step       its step (0: the initial parameters)
     * @param metrics    its metrics
     * @param parameters the parameters it evaluated
     */
    public record Best(int step, java.util.Map<String, Double> metrics, Parameters parameters) {
    }

    public TrainingState {
        if (step < 0 || trainingPasses < 0 || skippedBatches < 0 || lossCurve.size() != step || gradNorms.size() != step) {
            throw new IllegalArgumentException("inconsistent training state: step " + step + ", " + lossCurve.size()
                    + " losses, " + gradNorms.size() + " gradient norms, " + trainingPasses + " passes");
        }
        lossCurve = List.copyOf(lossCurve);
        gradNorms = List.copyOf(gradNorms);
        evaluations = List.copyOf(evaluations);
    }
}
