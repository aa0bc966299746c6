package dev.rnn4j.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the backend name came from, and the name.
 *
 * @param name   the backend name, e.g. {@code native}
 * @param source which configuration source supplied it
 */
public record BackendSelection(String name, Source source) {

    public static final String SYSTEM_PROPERTY = "rnn4j.backend";
    public static final String ENV_VARIABLE = "RNN4J_BACKEND";
    public static final String PROPERTIES_FILE = "rnn4j.properties";
    public static final String PROPERTIES_KEY = "backend";
    public static final String DEFAULT = "native";

    /** The configuration sources, highest priority first. */
    public enum Source {
        FLAG("--backend flag"),
        SYSTEM_PROPERTY("system property " + BackendSelection.SYSTEM_PROPERTY),
        ENVIRONMENT("environment variable " + ENV_VARIABLE),
        PROPERTIES_FILE(BackendSelection.PROPERTIES_FILE),
        DEFAULT("default");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** Resolves from the real process: system properties, environment and the working directory. */
    public static BackendSelection resolve(String flag) {
        return resolve(flag, System.getProperties(), System.getenv(), Path.of(""));
    }

    /**
     * Resolves in priority order: flag, system property, environment, properties file, default.
     * Blank values count as absent.
     *
     * @param flag       the command-line value or {@code null}
     * @param sysProps   system properties
     * @param env        environment variables
     * @param workingDir the directory holding {@code rnn4j.properties}, if any
     * @throws IllegalArgumentException if the properties file exists but cannot be read
     */
    public static BackendSelection resolve(String flag, Properties sysProps, Map<String, String> env, Path workingDir) {
        if (present(flag)) {
            return new BackendSelection(flag.trim(), Source.FLAG);
        }
        String prop = sysProps.getProperty(SYSTEM_PROPERTY);
        if (present(prop)) {
            return new BackendSelection(prop.trim(), Source.SYSTEM_PROPERTY);
        }
        String envValue = env.get(ENV_VARIABLE);
        if (present(envValue)) {
            return new BackendSelection(envValue.trim(), Source.ENVIRONMENT);
        }
        Path file = workingDir.resolve(PROPERTIES_FILE);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Malformed " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
            String value = p.getProperty(PROPERTIES_KEY);
            if (present(value)) {
                return new BackendSelection(value.trim(), Source.PROPERTIES_FILE);
            }
        }
        return new BackendSelection(DEFAULT, Source.DEFAULT);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
