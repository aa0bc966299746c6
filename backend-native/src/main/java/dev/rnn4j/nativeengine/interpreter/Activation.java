package dev.rnn4j.nativeengine.interpreter;

import java.util.Locale;
import java.util.Map;

/**
 * The activation functions ONNX's recurrent operators accept, with their alpha/beta (ONNX defaults where
 * the node gives none): Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid,
 * Elu, Softsign, Softplus.
 */
record Activation(String name, float alpha, float beta) {

    /** Whether the function takes alpha, and beta, and their defaults. */
    private record Params(boolean usesAlpha, float alpha, boolean usesBeta, float beta) {
    }

    private static final Map<String, Params> KNOWN = Map.ofEntries(
            Map.entry("relu", new Params(false, 0, false, 0)),
            Map.entry("tanh", new Params(false, 0, false, 0)),
            Map.entry("sigmoid", new Params(false, 0, false, 0)),
            Map.entry("affine", new Params(true, 1f, true, 0f)),
            Map.entry("leakyrelu", new Params(true, 0.01f, false, 0)),
            Map.entry("thresholdedrelu", new Params(true, 1f, false, 0)),
            Map.entry("scaledtanh", new Params(true, 1f, true, 1f)),
            Map.entry("hardsigmoid", new Params(true, 0.2f, true, 0.5f)),
            Map.entry("elu", new Params(true, 1f, false, 0)),
            Map.entry("softsign", new Params(false, 0, false, 0)),
            Map.entry("softplus", new Params(false, 0, false, 0)));

    /** Whether {@code name} is a known function (case-insensitive, as ONNX Runtime accepts). */
    static boolean known(String name) {
        return KNOWN.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the function consumes an entry of {@code activation_alpha} / {@code activation_beta}. */
    static boolean usesAlpha(String name) {
        return KNOWN.get(name.toLowerCase(Locale.ROOT)).usesAlpha();
    }

    static boolean usesBeta(String name) {
        return KNOWN.get(name.toLowerCase(Locale.ROOT)).usesBeta();
    }

    /** The function with explicit alpha/beta, or {@code null} for the defaults. */
    static Activation of(String name, Float alpha, Float beta) {
        Params p = KNOWN.get(name.toLowerCase(Locale.ROOT));
        return new Activation(name.toLowerCase(Locale.ROOT), alpha != null ? alpha : p.alpha(),
                beta != null ? beta : p.beta());
    }

    float apply(float x) {
        return switch (name) {
            case "relu" -> Math.max(0f, x);
            case "tanh" -> (float) Math.tanh(x);
            case "sigmoid" -> (float) (1 / (1 + Math.exp(-x)));
            case "affine" -> alpha * x + beta;
            case "leakyrelu" -> x >= 0 ? x : alpha * x;
            case "thresholdedrelu" -> x > alpha ? x : 0f;
            case "scaledtanh" -> alpha * (float) Math.tanh(beta * x);
            case "hardsigmoid" -> Math.max(0f, Math.min(1f, alpha * x + beta));
            case "elu" -> x >= 0 ? x : alpha * (float) (Math.exp(x) - 1);
            case "softsign" -> x / (1 + Math.abs(x));
            case "softplus" -> (float) Math.log1p(Math.exp(x));
            default -> throw new IllegalStateException(name);
        };
    }
}
