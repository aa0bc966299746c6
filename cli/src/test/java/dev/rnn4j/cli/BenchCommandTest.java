package dev.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.cli.bench.Machine;
import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.nativeengine.kernels.Gemm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} on the smallest preset, as short as it goes: the records it writes, not its times. */
class BenchCommandTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(err, true), args);
    }

    @Test
    void writesOneRecordPerConfigurationEngineAndMode(@TempDir Path dir) throws IOException {
        assertEquals(0, run("bench", "--configs", "A,F", "--backends", "native,libtorch,onnxruntime", "--threads", "1",
                "--warmup", "0", "--repeats", "2", "--repeat-seconds", "0.001", "--out", dir.toString()), err.toString());
        JsonArray records = JsonParser.parseString(Files.readString(dir.resolve("bench.json"))).getAsJsonArray();
        Set<String> seen = new HashSet<>();
        for (JsonElement e : records) {
            JsonObject r = e.getAsJsonObject();
            for (String key : List.of("config", "backend", "mode", "threads", "median_ms", "min_ms", "max_ms", "repeats",
                    "cpu", "cores", "jvm", "onednn_max_cpu_isa", "native_gemm_block_rows", "native_aligned_panels",
                    "native_huge_pages", "warmup_s", "jit_ms_in_repeats")) {
                assertTrue(r.has(key), key + " in " + r);
            }
            assertEquals(Machine.current().cpu(), r.get("cpu").getAsString());
            assertEquals(Runtime.getRuntime().availableProcessors(), r.get("cores").getAsInt());
            assertEquals(Gemm.blockRowsHere(), r.get("native_gemm_block_rows").getAsInt());
            assertEquals(Buffers.ALIGNED_START > 0, r.get("native_aligned_panels").getAsBoolean());
            assertEquals(Buffers.HUGE_PAGES, r.get("native_huge_pages").getAsBoolean());
            assertEquals(1, r.get("threads").getAsInt());
            assertEquals(2, r.get("repeats").getAsInt());
            double min = r.get("min_ms").getAsDouble();
            double median = r.get("median_ms").getAsDouble();
            assertTrue(min > 0 && min <= median && median <= r.get("max_ms").getAsDouble(), r.toString());
            JsonArray each = r.get("ms_per_repeat").getAsJsonArray();
            assertEquals(2, each.size(), r.toString());
            assertEquals(median, (each.get(0).getAsDouble() + each.get(1).getAsDouble()) / 2, 1e-9 * median, r.toString());
            assertTrue(r.has("paired_ratio_to_native"), "every row here has a native row of its mode: " + r);
            if (r.get("backend").getAsString().equals("native")) {
                assertEquals(1.0, r.get("paired_ratio_to_native").getAsDouble(), 0.0, "native against itself: " + r);
                assertEquals(1.0, r.get("ratio_to_native").getAsDouble(), 0.0, r.toString());
            } else {
                double lo = r.get("paired_ratio_min").getAsDouble();
                double mid = r.get("paired_ratio_to_native").getAsDouble();
                assertTrue(lo > 0 && lo <= mid && mid <= r.get("paired_ratio_max").getAsDouble(), r.toString());
            }
            seen.add(r.get("config").getAsString() + "/" + r.get("backend").getAsString() + "/" + r.get("mode").getAsString());
            if (r.get("backend").getAsString().equals("native") && r.get("mode").getAsString().equals("train")) {
                assertTrue(r.get("alloc_bytes_per_step").getAsLong() > 0, "native rows report allocation: " + r);
                assertTrue(r.get("peak_heap_bytes").getAsLong() > 0, r.toString());
            }
        }
        // F is inference only; onnxruntime cannot train
        assertEquals(Set.of("A/native/train", "A/native/infer", "A/libtorch/train", "A/libtorch/infer",
                "A/onnxruntime/infer", "F/native/infer", "F/libtorch/infer", "F/onnxruntime/infer"), seen);
    }

    @Test
    void unknownNamesFailBeforeAnyWork(@TempDir Path dir) {
        assertEquals(2, run("bench", "--configs", "A,Q", "--out", dir.toString()));
        assertTrue(err.toString().contains("unknown configuration 'Q'"), err.toString());
        assertEquals(2, run("bench", "--backends", "native,mxnet", "--out", dir.toString()));
        assertTrue(err.toString().contains("unknown engine 'mxnet'"), err.toString());
        assertTrue(!Files.exists(dir.resolve("bench.json")), "nothing written");
    }
}
