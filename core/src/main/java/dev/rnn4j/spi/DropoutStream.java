package dev.rnn4j.spi;

import java.util.SplittableRandom;

/**
 * Where dropout masks come from: training pass {@code p} of a model seeded with {@code s} draws its masks from
 * {@link #forPass}{@code (s, p)}, in the order the engine documents (layer by layer, row-major). Every engine
 * uses this, so the same seed drops the same units everywhere, and a run resumed from a checkpoint at pass
 * {@code p} draws exactly the masks the uninterrupted run would have drawn.
 *
 * <p>An instance counts one model's passes: engines call {@link #nextPass()} at each {@code forwardTrain} and
 * delegate {@link dev.rnn4j.spi.TrainableModel#trainingPasses()} and {@link dev.rnn4j.spi.TrainableModel#seekTrainingPasses(long)} to it.
 */
public final class DropoutStream {
    private final long seed;
    private long passes;

    /** A counter at pass 0 for model seed {@code seed}. */
    public DropoutStream(long seed) {
        this.seed = seed;
    }

    /** The random stream of the next training pass; counts the pass. */
    public SplittableRandom nextPass() {
        return forPass(seed, passes++);
    }

    /** The next training pass's stream as its seed, for engines that draw by index ({@link #draw}); counts the pass. */
    public long nextPassSeed() {
        return passSeed(seed, passes++);
    }

    /** Training passes so far. */
    public long passes() {
        return passes;
    }

    /** Continues as if {@code passes} passes had run. */
    public void seek(long passes) {
        if (passes < 0) {
            throw new IllegalArgumentException("training passes must be >= 0, got " + passes);
        }
        this.passes = passes;
    }

    /** The random stream of training pass {@code pass} (0-based) for model seed {@code seed}. */
    public static SplittableRandom forPass(long seed, long pass) {
        return new SplittableRandom(passSeed(seed, pass));
    }

    /** The seed of training pass {@code pass}'s stream: {@link #forPass} is {@code new SplittableRandom} of it. */
    public static long passSeed(long seed, long pass) {
        // SplittableRandom(seed + pass) would give overlapping streams (pass p + 1 = pass p shifted by one draw):
        // seed * golden + pass is distinct for every (seed, pass) in reach, and the finaliser spreads it over 64 bits
        return mix(seed * GOLDEN_GAMMA + pass);
    }

    /** SplittableRandom's increment from one draw to the next (the golden ratio in 64 bits). */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /**
     * Draw {@code index} (0-based) of the stream {@code new SplittableRandom(streamSeed)}: what its
     * {@code index + 1}-th {@code nextDouble()} returns, computed directly. SplittableRandom (SplitMix: Steele, Lea and
     * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) mixes a counter, {@code streamSeed +
     * (index + 1) *} {@link #GOLDEN_GAMMA}, so an engine may draw a mask's elements in any order, in parallel or in
     * vectors, and still get the sequential stream's values (DropoutStreamTest checks it against the JDK's class).
     */
    public static double draw(long streamSeed, long index) {
        return (drawBits(streamSeed, index) >>> 11) * 0x1.0p-53;
    }

    /** Draw {@code index} of the stream as its {@code nextLong()}: {@link #draw} is its top 53 bits times 2^-53. */
    public static long drawBits(long streamSeed, long index) {
        return splitMix64(streamSeed + (index + 1) * GOLDEN_GAMMA);
    }

    /**
     * The integer form of {@code draw < keep}: a draw's top 53 bits are below this, the smallest integer at or above
     * {@code keep * 2^53}, exactly when the draw is below {@code keep} ({@code (bits >>> 11) * 2^-53 < keep} iff
     * {@code (bits >>> 11) < keep * 2^53}, both sides exact in double).
     */
    public static long keepThreshold(float keep) {
        return (long) Math.ceil(keep * 0x1.0p53);
    }

    /**
     * Inverted dropout's mask value for the draw whose {@code nextLong()} is {@code bits}: {@code scale} (1 / keep)
     * where the draw is below keep ({@code threshold} from {@link #keepThreshold}), else 0, without a branch: at
     * dropout 0.2 a branch mispredicts a fifth of the draws (1.6M of them took 6.9 ms with
     * {@code nextDouble() < keep ? scale : 0}, 2.7 ms this way, the same values).
     */
    public static float maskValue(long bits, long threshold, float scale) {
        // the sign bit of the difference: 1 when below the threshold (both at most 2^53, so it cannot overflow)
        return (((bits >>> 11) - threshold) >>> 63) * scale;
    }

    /** SplittableRandom's output function of its counter (Stafford's variant 13 of MurmurHash3's finaliser). */
    public static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long mix(long z) {
        // MurmurHash3's 64-bit finaliser
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
