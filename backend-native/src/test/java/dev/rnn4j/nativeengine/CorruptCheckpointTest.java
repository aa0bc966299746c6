package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.testing.TestData;
import dev.rnn4j.train.CheckpointListener;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint folder with one file truncated or with a bit flipped: reading it back always fails, with an
 * IllegalArgumentException or IOException whose message names the folder or file (binary files carry a CRC32,
 * model.json a checksum of its own text); no other exception.
 */
class CorruptCheckpointTest {

    @Test
    void damagedFilesAreNamedNeverMisread(@TempDir Path tmp) throws IOException {
        ModelSpec spec = ModelSpec.builder().setCell(CellType.LSTM).setInputSize(2).setHiddenSize(4)
                .setHead(HeadKind.REGRESSION, 1).setOutputMode(OutputMode.LAST_STEP).build();
        SequenceDataset set = TestData.firstValueSet(2, 24, 3, 3);
        Path good = tmp.resolve("good");
        NativeBackend backend = NativeBackend.create(new Gemm(Kernels.best(), false));
        try (TrainableModel model = backend.newTrainableModel(spec, Initializer.initialize(spec, 1), 1)) {
            new Trainer(TrainerConfig.builder().optMaxSteps(4).optEvalEvery(4).optBatchSize(8).build(),
                    List.of(new CheckpointListener(good, new JsonObject()))).fit(model, set, set);
        }
        CheckpointListener.Checkpoint original = CheckpointListener.load(good);
        List<Path> files;
        try (Stream<Path> s = Files.list(good)) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() >= 4, "model.json, parameters and two optimizer files: " + files);
        SplittableRandom rng = new SplittableRandom(42);
        int refused = 0;
        for (int k = 0; k < 300; k++) {
            Path dir = tmp.resolve("case" + k);
            Files.createDirectories(dir);
            for (Path f : files) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
            Path victim = dir.resolve(files.get(rng.nextInt(files.size())).getFileName());
            byte[] bytes = Files.readAllBytes(victim);
            String how;
            if (rng.nextBoolean()) {
                int keep = rng.nextInt(bytes.length);
                Files.write(victim, java.util.Arrays.copyOf(bytes, keep));
                how = "truncated to " + keep;
            } else {
                int at = rng.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << rng.nextInt(8));
                Files.write(victim, bytes);
                how = "bit flipped at " + at;
            }
            String what = victim.getFileName() + " " + how;
            try {
                CheckpointListener.load(dir);
                fail(what + " loaded");
            } catch (IllegalArgumentException | IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(dir.toString()),
                        what + ": the message should name the folder or file: " + e.getMessage());
                refused++;
            } catch (RuntimeException e) {
                fail(what + " threw " + e, e);
            }
        }
        assertEquals(300, refused, "damaged checkpoints refused");
        assertEquals(0.0, original.model().parameters().maxAbsDiff(CheckpointListener.load(good).model().parameters()),
                "the undamaged checkpoint still loads");
    }
}
