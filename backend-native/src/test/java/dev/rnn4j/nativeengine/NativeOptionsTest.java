package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NativeOptionsTest {

    /** auto kernels that fall back to scalar say so (13x slower, easy to miss); vector ones are silent. */
    @Test
    void aScalarFallbackIsAWarningNamingTheFix() {
        assertEquals(Optional.empty(), NativeOptions.scalarFallbackWarning("vector"));
        String warning = NativeOptions.scalarFallbackWarning("scalar").orElseThrow();
        assertTrue(warning.contains("scalar kernels") && warning.endsWith("--add-modules jdk.incubator.vector"), warning);
    }

    @Test
    void theTestsRunTheVectorKernelsWhenAsked() {
        assertEquals("vector", new NativeOptions("auto", 1).createKernels().name(), "the build passes the Vector API");
        assertThrows(IllegalArgumentException.class, () -> new NativeOptions("simd", 1).createKernels());
    }
}
