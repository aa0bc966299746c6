/**
 * What a model is, independent of any engine: {@link dev.rnn4j.spec.ModelSpec} names the cell type,
 * sizes, stacking, dropout, head and output mode, and round-trips through JSON so that a saved model
 * or an ONNX file says what it is.
 */
package dev.rnn4j.spec;
