package dev.rnn4j.spec;

/** Where the head reads the recurrent output. */
public enum OutputMode {
    /** Only the last valid step of each sequence (its own length, not the padded length): output [N, C]. */
    LAST_STEP,
    /** Every step; padded steps give zeros and are ignored by losses and metrics: output [N, T, C]. */
    EVERY_STEP
}
