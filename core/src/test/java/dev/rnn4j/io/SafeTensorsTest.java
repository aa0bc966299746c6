package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.params.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors format: F32 round trips bit for bit, F16 and BF16 convert exactly, what is not a tensor file is named. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file by hand: the header text, then the data bytes. */
    private Path file(String name, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void f32RoundTripsBitForBitWithMetadata() throws IOException {
        Tensor a = new Tensor("a", new int[] {2, 3}, new float[] {1, -2.5f, Float.MIN_VALUE, 3e38f, -0f, 0.1f});
        Tensor b = new Tensor("b.bias", new int[] {1}, new float[] {7});
        Path p = dir.resolve("x.safetensors");
        SafeTensors.write(p, List.of(a, b), Map.of("format", "pt"));
        assertEquals(0, (Files.size(p) - 8 - 4 * 7) % 8, "the header is padded to 8 bytes");
        SafeTensors.File f = SafeTensors.read(p);
        assertEquals(List.of("a", "b.bias"), List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new int[] {2, 3}, f.tensors().get("a").shape());
        assertArrayEquals(a.data(), f.tensors().get("a").data(), 0f);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f.tensors().get("a").data()[4]));
        assertEquals(Map.of("format", "pt"), f.metadata());
    }

    @Test
    void halfAndBfloat16AreConvertedExactly() throws IOException {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF (largest), 2^-24 = 0x0001 (smallest subnormal)
        // BF16: 1.0 = 0x3F80, -0.5 = 0xBF00
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3F80, 0xBF00}) {
            data.putShort((short) v);
        }
        Path p = file("h.safetensors", "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]}}", data.array());
        SafeTensors.File f = SafeTensors.read(p);
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, f.tensors().get("h").data(), 0f);
        assertArrayEquals(new float[] {1f, -0.5f}, f.tensors().get("b").data(), 0f);
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.halfToFloat((short) 0x7C00));
    }

    @Test
    void whatIsNotAReadableTensorFileIsNamed() throws IOException {
        Path ints = file("i.safetensors", "{\"steps\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                new byte[8]);
        assertEquals(ints + ", tensor 'steps': dtype I64 (rnn4j reads F32, F16 and BF16; convert it, e.g. "
                + "tensor.float(), before saving)", assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.read(ints)).getMessage());
        Path wrong = file("w.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                new byte[8]);
        assertEquals(wrong + ", tensor 'w': its data_offsets span 8 bytes, its shape [3] of F32 needs 12",
                assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(wrong)).getMessage());
        Path text = dir.resolve("t.safetensors");
        Files.writeString(text, "hello, this is text and not tensors");
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(text));
        Path cut = file("c.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}",
                new byte[4]);
        assertEquals(cut + ": truncated (tensor 'w' ends at byte 12 of the data, which has 4)",
                assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(cut)).getMessage());
    }
}
