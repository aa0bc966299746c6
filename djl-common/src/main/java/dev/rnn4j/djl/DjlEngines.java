package dev.rnn4j.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import java.util.Locale;

/** Starting DJL engines offline, by explicit name (never through DJL's default engine). */
public final class DjlEngines {

    private DjlEngines() {
    }

    /**
     * The named engine with downloads and usage tracking off.
     *
     * @throws IllegalStateException with the engine's reason if its natives cannot load
     */
    public static Engine start(String name) {
        // DJL must not reach outside hosts: natives come from Maven Central jars on the classpath
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        try {
            return Engine.getEngine(name);
        } catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("Cannot start the DJL " + name + " engine: " + e.getMessage(), e);
        }
    }

    /**
     * The device from system property {@code rnn4j.device}: {@code cpu}, {@code gpu} or {@code auto} (default:
     * the first GPU when the engine sees one, else CPU).
     *
     * @throws IllegalStateException if {@code gpu} is asked for and the engine sees none
     */
    public static Device device(Engine engine) {
        String want = System.getProperty("rnn4j.device", "auto").toLowerCase(Locale.ROOT);
        int gpus = engine.getGpuCount();
        return switch (want) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalStateException("--device gpu: the " + engine.getEngineName()
                            + " engine sees no CUDA device (CPU natives, or no GPU on this machine)");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("rnn4j.device must be cpu, gpu or auto, got '" + want + "'");
        };
    }
}
