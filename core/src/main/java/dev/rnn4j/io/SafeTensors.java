package dev.rnn4j.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.rnn4j.params.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (Hugging Face's; what {@code safetensors.torch.save_file} writes and
 * {@code load_file} reads): an 8-byte little-endian header length, a JSON header mapping each tensor's name to its
 * {@code dtype}, {@code shape} and {@code data_offsets} (plus an optional {@code __metadata__} of strings), then the
 * raw little-endian data. Written by hand: no maintained Java library reads it without an engine (DJL's
 * {@code NDList} decodes it only inside a running engine).
 *
 * <pre>{@code
 * SafeTensors.File f = SafeTensors.read(Path.of("model.safetensors"));
 * Tensor w = f.tensors().get("rnn.weight_ih_l0");             // F16 and BF16 come back as float
 * SafeTensors.write(Path.of("out.safetensors"), f.tensors().values(), Map.of("producer", "rnn4j"));
 * }</pre>
 */
public final class SafeTensors {
    /** The format's limit on the header (100 MB), against a corrupt length reading gigabytes. */
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /**
     * A file's contents.
     *
     * @param tensors  by name, in the order of their data in the file
     * @param metadata the header's {@code __metadata__} (empty if none)
     */
    public record File(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Reads {@code file}, converting F16 and BF16 tensors to float.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong with it: not a safetensors file,
     *                                  truncated, a dtype other than F32, F16 or BF16 (naming the tensor), offsets
     *                                  that disagree with the shape
     */
    public static File read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (bytes.length < 8) {
            throw new IllegalArgumentException(file + ": not a safetensors file (" + bytes.length + " bytes, shorter "
                    + "than its 8-byte header length)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw new IllegalArgumentException(file + ": not a safetensors file, or truncated (its header length reads "
                    + headerLength + " bytes, the file has " + bytes.length + ")");
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip())
                    .getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": not a safetensors file (its header is not a JSON object)");
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        TreeMap<Long, Tensor> byOffset = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(),
                        m.getValue().getAsString()));
                continue;
            }
            String where = file + ", tensor '" + name + "'";
            JsonObject t = e.getValue().isJsonObject() ? e.getValue().getAsJsonObject() : new JsonObject();
            if (!t.has("dtype") || !t.has("shape") || !t.has("data_offsets")) {
                throw new IllegalArgumentException(where + ": not a safetensors entry (it needs dtype, shape and "
                        + "data_offsets)");
            }
            String dtype = t.get("dtype").getAsString();
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> throw new IllegalArgumentException(where + ": dtype " + dtype + " (rnn4j reads F32, F16 and "
                        + "BF16; convert it, e.g. tensor.float(), before saving)");
            };
            List<Integer> dims = new ArrayList<>();
            long count = 1;
            for (JsonElement d : t.getAsJsonArray("shape")) {
                dims.add(d.getAsInt());
                count *= d.getAsLong();
            }
            long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
            if (end - begin != count * width) {
                throw new IllegalArgumentException(where + ": its data_offsets span " + (end - begin) + " bytes, its "
                        + "shape " + dims + " of " + dtype + " needs " + count * width);
            }
            if (begin < 0 || end > dataLength) {
                throw new IllegalArgumentException(file + ": truncated (tensor '" + name + "' ends at byte " + end
                        + " of the data, which has " + dataLength + ")");
            }
            float[] values = new float[Math.toIntExact(count)];
            int at = (int) (dataStart + begin);
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (dtype) {
                    case "F32" -> buf.getFloat(at + 4 * i);
                    case "BF16" -> Float.intBitsToFloat((buf.getShort(at + 2 * i) & 0xffff) << 16);
                    default -> halfToFloat(buf.getShort(at + 2 * i));
                };
            }
            byOffset.put(begin, new Tensor(name, dims.stream().mapToInt(Integer::intValue).toArray(), values));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        byOffset.values().forEach(t -> tensors.put(t.name(), t));
        return new File(tensors, metadata);
    }

    /** IEEE 754 half precision to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) { // zero or subnormal: mantissa x 2^-24
            float v = mantissa * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /**
     * Writes {@code tensors} (F32, in the given order) and {@code metadata} to {@code file}, atomically. The header is
     * padded with spaces to a multiple of 8 bytes, as the reference implementation does.
     */
    public static void write(Path file, Iterable<Tensor> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach(m::addProperty);
            header.add("__metadata__", m);
        }
        long offset = 0;
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : tensors) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
            for (int d : t.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            com.google.gson.JsonArray offsets = new com.google.gson.JsonArray();
            offsets.add(offset);
            offset += 4L * t.size();
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(t.name(), entry);
            list.add(t);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : list) {
            for (float v : t.data()) {
                out.putFloat(v);
            }
        }
        AtomicFiles.write(file, out.array());
    }
}
