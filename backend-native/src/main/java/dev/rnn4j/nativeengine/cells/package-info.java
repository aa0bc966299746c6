/**
 * The layers of the native engine, one file per cell with its forward and backward step side by side.
 *
 * <p>{@link dev.rnn4j.nativeengine.cells.RecurrentCell} owns what every recurrent layer shares: the input
 * projection of all time steps as one GEMM, the per-step recurrent GEMM, masking of padded steps, and the
 * weight gradients summed over all steps as one GEMM each. A cell supplies only its step equations.
 * Internally everything is time-major: {@code [T, N, ...]}.
 */
package dev.rnn4j.nativeengine.cells;
