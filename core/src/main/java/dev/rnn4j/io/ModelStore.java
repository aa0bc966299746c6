package dev.rnn4j.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.spec.ModelSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Saves and loads a model folder.
 *
 * <p>{@code model.json}:
 * <pre>{@code
 * { "format": "rnn4j-model", "version": 1, "spec": { ...ModelSpec... },
 *   "parameters": { "file": "parameters.bin", "crc32": 123456789 }, "info": { ... } }
 * }</pre>
 * {@code parameters.bin} (big-endian, as {@link DataOutputStream} writes):
 * <pre>
 *   8 bytes  magic "RNN4JPAR"
 *   int      format version (1)
 *   int      number of tensors
 *   per tensor: UTF name, int rank, int[rank] dims, float[prod(dims)] values (row-major)
 *   long     CRC32 of every byte before it
 * </pre>
 * Tensors appear in the canonical layout order. Loading checks the magic, the checksum and every shape
 * against the spec, so a truncated or corrupt file fails with a message that says so.
 */
public final class ModelStore {
    public static final String MODEL_JSON = "model.json";
    public static final String PARAMETERS_BIN = "parameters.bin";
    public static final String FORMAT = "rnn4j-model";
    private static final byte[] MAGIC = "RNN4JPAR".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private ModelStore() {
    }

    /** Writes {@code dir/parameters.bin} then {@code dir/model.json}, each atomically. */
    public static void save(Path dir, ModelSpec spec, Parameters params, JsonObject info) throws IOException {
        ParameterLayout.validate(spec, params);
        byte[] bin = encodeParameters(params);
        CRC32 crc = new CRC32();
        crc.update(bin);
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        root.add("spec", JsonParser.parseString(spec.toJson()));
        JsonObject p = new JsonObject();
        p.addProperty("file", PARAMETERS_BIN);
        p.addProperty("crc32", crc.getValue());
        root.add("parameters", p);
        root.add("info", info == null ? new JsonObject() : info);
        AtomicFiles.write(dir.resolve(PARAMETERS_BIN), bin);
        AtomicFiles.writeString(dir.resolve(MODEL_JSON), GSON.toJson(root) + "\n");
    }

    /**
     * Reads a model folder.
     *
     * @throws IOException              if a file is missing or unreadable
     * @throws IllegalArgumentException if a file is corrupt, truncated or does not match the spec
     */
    public static SavedModel load(Path dir) throws IOException {
        Path json = dir.resolve(MODEL_JSON);
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "not a model folder: no " + MODEL_JSON);
        }
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("Corrupt " + json + ": " + e.getMessage(), e);
        }
        if (!root.has("format") || !FORMAT.equals(root.get("format").getAsString())) {
            throw new IllegalArgumentException(json + " is not an rnn4j model (format tag missing)");
        }
        ModelSpec spec = ModelSpec.fromJson(root.get("spec").toString());
        JsonObject p = root.getAsJsonObject("parameters");
        Path bin = dir.resolve(p.get("file").getAsString());
        byte[] bytes = Files.readAllBytes(bin);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (crc.getValue() != p.get("crc32").getAsLong()) {
            throw new IllegalArgumentException("Corrupt model: " + bin + " does not match the checksum in " + json);
        }
        Parameters params = decodeParameters(bytes, bin.toString());
        ParameterLayout.validate(spec, params);
        JsonObject info = root.has("info") ? root.getAsJsonObject("info") : new JsonObject();
        return new SavedModel(spec, params, info);
    }

    /** The binary form described in the class documentation. */
    public static byte[] encodeParameters(Parameters params) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buf);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(params.count());
            for (Tensor t : params) {
                out.writeUTF(t.name());
                int[] shape = t.shape();
                out.writeInt(shape.length);
                for (int d : shape) {
                    out.writeInt(d);
                }
                for (float v : t.data()) {
                    out.writeFloat(v);
                }
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(buf.toByteArray());
            out.writeLong(crc.getValue());
            return buf.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    /**
     * Parses {@link #encodeParameters} output.
     *
     * @param source names the file in error messages
     * @throws IllegalArgumentException for a wrong magic, a bad checksum or truncation
     */
    public static Parameters decodeParameters(byte[] bytes, String source) {
        if (bytes.length < MAGIC.length + 16 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(source + " is not an rnn4j parameter file (bad magic or too short)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = 0;
        for (int i = bytes.length - 8; i < bytes.length; i++) {
            stored = (stored << 8) | (bytes[i] & 0xff);
        }
        if (crc.getValue() != stored) {
            throw new IllegalArgumentException(source + " is corrupt or truncated (checksum mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(source + ": unsupported parameter format version " + version);
            }
            int count = in.readInt();
            Parameters params = new Parameters();
            for (int k = 0; k < count; k++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new IllegalArgumentException(source + ": tensor '" + name + "' has rank " + rank);
                }
                int[] shape = new int[rank];
                long n = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readInt();
                    n *= shape[d];
                }
                if (n < 0 || n * 4 > bytes.length) {
                    throw new IllegalArgumentException(source + ": tensor '" + name + "' claims "
                            + Arrays.toString(shape) + ", more than the file holds");
                }
                float[] data = new float[(int) n];
                for (int i = 0; i < data.length; i++) {
                    data[i] = in.readFloat();
                }
                params.put(new Tensor(name, shape, data));
            }
            return params;
        } catch (EOFException e) {
            throw new IllegalArgumentException(source + " is truncated", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " cannot be parsed: " + e.getMessage(), e);
        }
    }
}
