package dev.rnn4j.djl.tensorflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where DJL finds the TensorFlow natives. DJL refuses the copy inside the {@code tensorflow-native-cpu} jar (its
 * properties claim a CUDA build) but loads a folder named by {@code TENSORFLOW_LIBRARY_PATH}. So, unless that is
 * set (environment or system property), the libraries are copied out of the jar on the classpath, once, into
 * {@code <cache>/tensorflow-<version>-<platform>}, where {@code <cache>} is system property
 * {@code rnn4j.cache.dir}, else environment variable {@code RNN4J_CACHE_DIR}, else {@code ~/.rnn4j/cache}. About
 * 1 GB; nothing is downloaded. The folder appears whole or not at all (unpacked beside it, then renamed).
 */
final class TensorFlowNatives {
    static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
    static final String CACHE_PROPERTY = "rnn4j.cache.dir";
    static final String CACHE_ENV = "RNN4J_CACHE_DIR";
    private static final String JAR_FOLDER = "native/lib/";
    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowNatives.class);

    private TensorFlowNatives() {
    }

    /** The folder to give DJL: {@code TENSORFLOW_LIBRARY_PATH} if set, else the cache, unpacked on first use. */
    static String libraryPath() {
        String given = System.getenv(LIBRARY_PATH) != null ? System.getenv(LIBRARY_PATH) : System.getProperty(LIBRARY_PATH);
        if (given != null && !given.isBlank()) {
            return given;
        }
        return unpack(cacheRoot()).toString();
    }

    static Path cacheRoot() {
        String dir = System.getProperty(CACHE_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(CACHE_ENV);
        }
        if (dir == null || dir.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".rnn4j", "cache");
        }
        return Path.of(dir);
    }

    /** The unpacked natives under {@code cache}; unpacks them from the classpath when they are not there yet. */
    static Path unpack(Path cache) {
        Properties jar = new Properties();
        try (InputStream in = TensorFlowNatives.class.getClassLoader().getResourceAsStream(JAR_FOLDER + "tensorflow.properties")) {
            if (in == null) {
                throw new IllegalStateException("TensorFlow natives not found: add ai.djl.tensorflow:tensorflow-native-cpu"
                        + " (classifier for your platform, e.g. linux-x86_64) to the classpath, or set " + LIBRARY_PATH
                        + " to a folder holding libtensorflow_cc.so.2");
            }
            jar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the TensorFlow natives' properties: " + e.getMessage(), e);
        }
        String version = jar.getProperty("version", "unknown");
        String platform = System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_') + "-"
                + System.getProperty("os.arch");
        Path target = cache.resolve("tensorflow-" + version + "-" + platform);
        if (Files.isDirectory(target)) {
            return target;
        }
        List<String> libraries = List.of(jar.getProperty("libraries", "").split(","));
        LOG.info("unpacking the TensorFlow {} natives (about 1 GB, once) into {}", version, target);
        Path partial = null;
        try {
            Files.createDirectories(cache);
            partial = Files.createTempDirectory(cache, target.getFileName() + ".partial-");
            for (String lib : libraries) {
                try (InputStream in = TensorFlowNatives.class.getClassLoader().getResourceAsStream(JAR_FOLDER + lib.trim())) {
                    if (in == null) {
                        throw new IllegalStateException("the TensorFlow natives jar lacks " + lib);
                    }
                    Files.copy(in, partial.resolve(lib.trim()));
                }
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // another process unpacked them first: keep theirs
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the TensorFlow natives into " + target + ": " + e.getMessage()
                    + " (set " + CACHE_PROPERTY + " or " + LIBRARY_PATH + ")", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
