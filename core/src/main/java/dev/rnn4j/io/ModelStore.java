package dev.rnn4j.io;

import com.google.gson.Gson;
import dev.rnn4j.Provenance;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Saves and loads a model folder.
 *
 * <p>{@code model.json}:
 * <pre>{@code
 * { "format": "rnn4j-model", "version": 1, "spec": { ...ModelSpec... },
 *   "parameters": { "file": "parameters.bin", "crc32": 123456789 },
 *   "extras": { "optimizer-first": { "file": ..., "crc32": ... } },      (optional)
 *   "info": { ... },
 *   "checksum": 987654321 }
 * }</pre>
 * {@code checksum} is the CRC32 of the file's text as written without it (the same text Gson writes for the object
 * without that last member), so any change to the file, by a bit flip or by hand, is refused; files written before
 * it existed load without the check.
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
    private static final String CHECKSUM = "checksum";

    private ModelStore() {
    }

    /** Saves a model folder with its provenance as {@code info}. */
    public static void save(Path dir, ModelSpec spec, Parameters params, Provenance provenance) throws IOException {
        save(dir, spec, params, provenance.toJson(), Map.of());
    }

    /**
     * Saves a model folder, with optional named extra tensor sets (a checkpoint's optimizer state), each in its own
     * binary file in the parameter format.
     *
     * <p>{@code model.json} is written last and is the commit point: every binary file goes under a name the
     * current {@code model.json} does not reference ({@code parameters.bin} or {@code parameters.alt.bin}, and so
     * on), so a process killed at any moment leaves the folder as it was before or as it is after, never a
     * {@code model.json} whose checksums do not match. Files the new {@code model.json} no longer references are
     * deleted afterwards.
     *
     * @param extras named tensor sets; names are lower-case letters, digits, '-' and '_'
     */
    public static void save(Path dir, ModelSpec spec, Parameters params, JsonObject info, Map<String, Parameters> extras)
            throws IOException {
        ParameterLayout.validate(spec, params);
        Set<String> inUse = referencedFiles(dir);
        Set<String> written = new HashSet<>();
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        root.add("spec", JsonParser.parseString(spec.toJson()));
        root.add("parameters", writeBinary(dir, "parameters", params, inUse, written));
        if (!extras.isEmpty()) {
            JsonObject ex = new JsonObject();
            for (Map.Entry<String, Parameters> e : new TreeMap<>(extras).entrySet()) {
                if (!e.getKey().matches("[a-z0-9_-]+") || e.getKey().equals("parameters")) {
                    throw new IllegalArgumentException("extra name must match [a-z0-9_-]+ and not be 'parameters': '"
                            + e.getKey() + "'");
                }
                ex.add(e.getKey(), writeBinary(dir, e.getKey(), e.getValue(), inUse, written));
            }
            root.add("extras", ex);
        }
        root.add("info", info == null ? new JsonObject() : info);
        root.addProperty(CHECKSUM, checksum(root));
        AtomicFiles.writeString(dir.resolve(MODEL_JSON), GSON.toJson(root) + "\n");
        for (String old : inUse) {
            if (!written.contains(old)) {
                Files.deleteIfExists(dir.resolve(old));
            }
        }
    }

    /**
     * Writes {@code base.bin}, or {@code base.alt.bin} when the current model.json uses the first; adds the name to
     * {@code written} and returns its model.json entry.
     */
    private static JsonObject writeBinary(Path dir, String base, Parameters params, Set<String> inUse, Set<String> written)
            throws IOException {
        String file = inUse.contains(base + ".bin") ? base + ".alt.bin" : base + ".bin";
        written.add(file);
        byte[] bin = encodeParameters(params);
        CRC32 crc = new CRC32();
        crc.update(bin);
        AtomicFiles.write(dir.resolve(file), bin);
        JsonObject entry = new JsonObject();
        entry.addProperty("file", file);
        entry.addProperty("crc32", crc.getValue());
        return entry;
    }

    /** CRC32 of {@code root}'s text as {@link #GSON} writes it. */
    private static long checksum(JsonObject root) {
        CRC32 crc = new CRC32();
        crc.update(GSON.toJson(root).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** The binary files the folder's current model.json references (none if there is no readable one). */
    private static Set<String> referencedFiles(Path dir) {
        Set<String> files = new HashSet<>();
        try {
            JsonObject root = JsonParser.parseString(Files.readString(dir.resolve(MODEL_JSON))).getAsJsonObject();
            files.add(root.getAsJsonObject("parameters").get("file").getAsString());
            if (root.has("extras")) {
                root.getAsJsonObject("extras").entrySet()
                        .forEach(e -> files.add(e.getValue().getAsJsonObject().get("file").getAsString()));
            }
        } catch (IOException | RuntimeException e) {
            // no folder yet, or an unreadable model.json that this save replaces
        }
        return files;
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
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("Corrupt " + json + ": not UTF-8 text", e);
        }
        if (root.has(CHECKSUM)) {
            long saved;
            try {
                saved = root.remove(CHECKSUM).getAsLong();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Corrupt " + json + ": its checksum is not a number", e);
            }
            if (saved != checksum(root)) {
                throw new IllegalArgumentException("Corrupt " + json + ": its text does not match its checksum "
                        + "(changed after it was written)");
            }
        }
        try {
            if (!root.has("format") || !FORMAT.equals(root.get("format").getAsString())) {
                throw new IllegalArgumentException(json + " is not an rnn4j model (format tag missing)");
            }
            if (!root.has("spec") || !root.has("parameters")) {
                throw new IllegalArgumentException("Corrupt " + json + ": no " + (root.has("spec") ? "parameters" : "spec")
                        + " entry");
            }
            ModelSpec spec;
            try {
                spec = ModelSpec.fromJson(root.get("spec").toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Corrupt " + json + ": " + e.getMessage(), e);
            }
            Parameters params = readBinary(dir, json, root.getAsJsonObject("parameters"));
            try {
                ParameterLayout.validate(spec, params);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Corrupt model " + dir + ": " + e.getMessage(), e);
            }
            Map<String, Parameters> extras = new TreeMap<>();
            if (root.has("extras")) {
                for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("extras").entrySet()) {
                    extras.put(e.getKey(), readBinary(dir, json, e.getValue().getAsJsonObject()));
                }
            }
            JsonObject info = root.has("info") ? root.getAsJsonObject("info") : new JsonObject();
            return new SavedModel(spec, params, info, Map.copyOf(extras));
        } catch (ClassCastException | IllegalStateException | UnsupportedOperationException | NullPointerException
                 | NumberFormatException | JsonParseException e) {
            // a model.json that parses but has a field of the wrong kind or a missing one
            throw new IllegalArgumentException("Corrupt " + json + ": a field is missing or malformed ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Parameters readBinary(Path dir, Path json, JsonObject entry) throws IOException {
        Path bin = dir.resolve(entry.get("file").getAsString());
        byte[] bytes = Files.readAllBytes(bin);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (crc.getValue() != entry.get("crc32").getAsLong()) {
            throw new IllegalArgumentException("Corrupt model: " + bin + " does not match the checksum in " + json);
        }
        return decodeParameters(bytes, bin.toString());
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
