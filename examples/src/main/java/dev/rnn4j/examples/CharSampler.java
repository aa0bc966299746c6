package dev.rnn4j.examples;

import dev.rnn4j.data.Batch;
import dev.rnn4j.datasets.CharText;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import java.util.SplittableRandom;

/**
 * Samples text from a character model: feed the last {@code context} characters, read the logits of the last
 * step, divide by the temperature, softmax, draw. Seeded, so the same call gives the same text.
 */
public final class CharSampler {
    private final Model model;
    private final CharText.Vocabulary vocabulary;
    private final int context;

    /**
     * @param context how many of the most recent characters the model sees for each new one
     */
    public CharSampler(Model model, CharText.Vocabulary vocabulary, int context) {
        if (model.spec().inputSize() != vocabulary.size() || model.spec().outputSize() != vocabulary.size()) {
            throw new IllegalArgumentException("the model has " + model.spec().inputSize() + " inputs and "
                    + model.spec().outputSize() + " outputs, the vocabulary " + vocabulary.size() + " characters");
        }
        this.model = model;
        this.vocabulary = vocabulary;
        this.context = context;
    }

    /**
     * {@code prime} followed by {@code length} sampled characters.
     *
     * @throws IllegalArgumentException for a temperature that is not positive or an empty prime
     */
    public String sample(String prime, int length, double temperature, long seed) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
        }
        if (prime.isEmpty()) {
            throw new IllegalArgumentException("--prime must not be empty");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder(prime);
        int v = vocabulary.size();
        for (int k = 0; k < length; k++) {
            int[] cps = text.codePoints().toArray();
            int from = Math.max(0, cps.length - context);
            int len = cps.length - from;
            float[] x = CharText.oneHot(cps, from, len, vocabulary);
            Output out = model.forward(new Batch(1, len, v, x, new int[] {len}, len, 1, null, new int[len]));
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < v; c++) {
                max = Math.max(max, out.get(0, out.steps() - 1, c) / temperature);
            }
            double[] p = new double[v];
            double z = 0;
            for (int c = 0; c < v; c++) {
                p[c] = Math.exp(out.get(0, out.steps() - 1, c) / temperature - max);
                z += p[c];
            }
            double u = rng.nextDouble() * z;
            int pick = v - 1;
            for (int c = 0; c < v; c++) {
                u -= p[c];
                if (u <= 0) {
                    pick = c;
                    break;
                }
            }
            text.append(vocabulary.text(pick));
        }
        return text.toString();
    }
}
