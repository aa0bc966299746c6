/**
 * Shared test helpers and the conformance suite every backend's tests extend
 * ({@code class NativeConformanceTest extends BackendConformanceTest}). Shipped in core's test-jar.
 */
package dev.rnn4j.testing;
