package dev.rnn4j.examples;

import dev.rnn4j.StreamingPredictor;
import dev.rnn4j.datasets.CharText;
import dev.rnn4j.model.Model;
import java.util.SplittableRandom;

/**
 * Samples text from a character model, one step per character: the prime goes through a
 * {@link StreamingPredictor} one character at a time, then each new character is drawn from the last step's logits
 * (divided by the temperature, softmax) and fed back. The model sees the whole text so far through its state, and
 * each character costs one step however long the text grows. Seeded, so the same call gives the same text.
 */
public final class CharSampler {
    private final Model model;
    private final CharText.Vocabulary vocabulary;

    public CharSampler(Model model, CharText.Vocabulary vocabulary) {
        if (model.spec().inputSize() != vocabulary.size() || model.spec().outputSize() != vocabulary.size()) {
            throw new IllegalArgumentException("the model has " + model.spec().inputSize() + " inputs and "
                    + model.spec().outputSize() + " outputs, the vocabulary " + vocabulary.size() + " characters");
        }
        this.model = model;
        this.vocabulary = vocabulary;
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
        try (StreamingPredictor stream = new StreamingPredictor(model, 1)) {
            float[] logits = null;
            for (int cp : prime.codePoints().toArray()) {
                logits = stream.step(new float[][] {CharText.oneHot(new int[] {cp}, 0, 1, vocabulary)})[0];
            }
            for (int k = 0; k < length; k++) {
                int pick = draw(logits, temperature, rng);
                text.append(vocabulary.text(pick));
                float[] x = new float[v];
                x[pick] = 1f;
                logits = stream.step(new float[][] {x})[0];
            }
        }
        return text.toString();
    }

    /** A class drawn from {@code softmax(logits / temperature)}. */
    private static int draw(float[] logits, double temperature, SplittableRandom rng) {
        int v = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] p = new double[v];
        double z = 0;
        for (int c = 0; c < v; c++) {
            p[c] = Math.exp(logits[c] / temperature - max);
            z += p[c];
        }
        double u = rng.nextDouble() * z;
        for (int c = 0; c < v; c++) {
            u -= p[c];
            if (u <= 0) {
                return c;
            }
        }
        return v - 1;
    }
}
