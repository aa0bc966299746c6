package dev.rnn4j.spec;

/** What the dense head on top of the recurrent stack predicts. */
public enum HeadKind {
    /** {@code outputSize} real values, trained with mean squared error. */
    REGRESSION,
    /** Logits over {@code outputSize} classes, trained with softmax cross-entropy. */
    CLASSIFICATION
}
