/**
 * DJL engines, each chosen by name through {@link java.util.ServiceLoader} and started only when selected:
 * {@code pytorch} (training and inference; RNN, LSTM and PyTorch-style GRU run as libtorch's fused ops, the
 * other cells are composed from NDArray ops with autograd) and {@code tensorflow} (training through
 * {@code ExplicitBptt}, composed from NDArray ops). {@code DjlNetwork} is the shared
 * forward graph; {@link dev.rnn4j.djl.DjlModel} keeps the parameters on the engine (the fused ops' weights in
 * PyTorch's gate order, {@code GateLayout}) and hands out the canonical (ONNX) layout when asked;
 * on PyTorch {@code DjlUpdater} clips and updates them as libtorch ops with core's formulas.
 */
package dev.rnn4j.djl;
