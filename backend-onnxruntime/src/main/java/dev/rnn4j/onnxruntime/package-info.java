/**
 * The {@code onnxruntime} backend: inference only. Any rnn4j model is exported to ONNX in memory
 * ({@link dev.rnn4j.onnx.export.OnnxExporter}) and run with the ONNX Runtime Java API; {@link
 * dev.rnn4j.onnxruntime.OrtRunner} also runs arbitrary ONNX files by their graph's own input and output names.
 */
package dev.rnn4j.onnxruntime;
