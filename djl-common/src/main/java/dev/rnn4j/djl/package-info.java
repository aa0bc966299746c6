/**
 * DJL engines, each chosen by name through {@link java.util.ServiceLoader} and started only when selected:
 * {@code pytorch} (training and inference; RNN, LSTM and PyTorch-style GRU run as libtorch's fused ops, the
 * other cells are composed from NDArray ops with autograd) and {@code tensorflow} (inference, composed from
 * NDArray ops). {@link dev.rnn4j.djl.DjlNetwork} is the shared forward graph; parameters stay in rnn4j's
 * canonical (ONNX) layout and are permuted to PyTorch's gate order inside the graph, so gradients come back
 * in the canonical layout and core's optimizers update them exactly as they do for the native engine.
 */
package dev.rnn4j.djl;
