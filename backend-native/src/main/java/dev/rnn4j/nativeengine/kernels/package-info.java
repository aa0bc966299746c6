/**
 * Numeric kernels of the native engine: {@link dev.rnn4j.nativeengine.kernels.Kernels} (dot and axpy, in a
 * Vector API and a scalar version, chosen at run time) and {@link dev.rnn4j.nativeengine.kernels.Gemm}, the
 * three matrix products BPTT needs, parallel over output rows when the work is large enough. Each output
 * element is always computed by one thread in one order, so results do not depend on the thread count.
 */
package dev.rnn4j.nativeengine.kernels;
