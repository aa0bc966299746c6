package dev.rnn4j.config;

/** The configured backend cannot be used: unknown name, or it lacks a needed capability. */
public class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }
}
