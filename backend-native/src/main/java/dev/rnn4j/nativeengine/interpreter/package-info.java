/**
 * Importing ONNX into the native engine.
 *
 * <p>{@link dev.rnn4j.nativeengine.interpreter.OnnxInterpreter} runs any graph made of the recurrent operators
 * ({@code LSTM}, {@code GRU}, {@code RNN} with every attribute and optional input, see
 * {@link dev.rnn4j.nativeengine.interpreter.RecurrentOps}) and the small set of tensor operators that rnn4j's own
 * exports and typical {@code torch.onnx.export} graphs of recurrent models use
 * ({@link dev.rnn4j.nativeengine.interpreter.TensorOps}). Inputs and outputs are taken from the graph.
 * An unsupported operator or attribute fails at load time with a message naming it and the node.
 */
package dev.rnn4j.nativeengine.interpreter;
