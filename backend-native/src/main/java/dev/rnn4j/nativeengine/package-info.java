/**
 * The pure-Java engine ({@code native}): no native code, fused cells with hand-written BPTT.
 *
 * <p>{@link dev.rnn4j.nativeengine.NativeBackendProvider} registers it with {@link java.util.ServiceLoader};
 * {@link dev.rnn4j.nativeengine.NativeModule} binds the {@link dev.rnn4j.spi.Backend}. Kernels use the
 * Vector API when the JVM has {@code --add-modules jdk.incubator.vector} and plain loops otherwise
 * (system property {@code rnn4j.native.kernels=scalar|vector} forces one); large matrix products use both
 * cores unless {@code rnn4j.native.parallel=false}.
 */
package dev.rnn4j.nativeengine;
