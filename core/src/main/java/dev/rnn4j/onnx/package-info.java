/**
 * ONNX export: every {@link dev.rnn4j.spec.ModelSpec} with its parameters becomes a standard {@code .onnx}
 * file with one ONNX {@code LSTM}/{@code GRU}/{@code RNN} node per layer, a dense head, last-valid-step
 * selection through {@code sequence_lens}, and the spec itself in {@code metadata_props}.
 *
 * <p>Graph code is written with {@link dev.rnn4j.onnx.export.OnnxContext} and {@link dev.rnn4j.onnx.export.OnnxRef}, a
 * small builder in the style of Tribuo's {@code ONNXContext}/{@code ONNXRef}, over the ONNX protobuf
 * classes shipped in {@code org.tribuo:tribuo-util-onnx}.
 */
package dev.rnn4j.onnx;
