/**
 * The canonical parameter layout, shared by every engine and by ONNX.
 *
 * <p>Per recurrent layer {@code l} (no num_directions axis; ONNX adds it on export):
 * <pre>
 *   layers.l.W  [G*H, I_l]   input weights, gate blocks in ONNX order
 *   layers.l.R  [G*H, H]     recurrent weights
 *   layers.l.B  [2*G*H]      biases: Wb (first G*H) then Rb
 *   layers.l.P  [3*H]        peephole weights i, o, f (LSTM_PEEPHOLE only)
 *   head.W      [C, H]       dense head
 *   head.b      [C]
 * </pre>
 * with G = 1 (RNN), 3 (GRU: z, r, h), 4 (LSTM: i, o, f, c). The MLP baseline stores
 * {@code layers.l.W [H, in]} and {@code layers.l.B [H]}.
 *
 * <p>{@link dev.rnn4j.params.Initializer} draws every parameter once from a seed, so two engines given
 * the same spec and seed start from identical weights.
 */
package dev.rnn4j.params;
