package dev.kindling.tensor;

/**
 * A seedable source of random numbers, like {@code torch.Generator}.
 *
 * <p>Counter-based: the k-th random 64-bit word of a generator with seed s is
 * {@code mix(s + k * golden)} (SplitMix64's output function), so any range of words can be produced
 * independently of the others. A random fill of n elements reserves n (or 2n) counters and every
 * thread computes its own slice: the values depend on the seed and the call sequence only, never on
 * the number of threads. Each call advances the offset, so consecutive calls give fresh numbers.
 */
public final class Generator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final Generator DEFAULT = new Generator(67280421310721L);
    private static final ThreadLocal<Generator> THREAD_DEFAULT = new ThreadLocal<>();

    private long seed;
    private long offset;

    public Generator(long seed) {
        manualSeed(seed);
    }

    /**
     * The generator used when none is given, as PyTorch's default CPU generator: the process-wide
     * one, unless this thread set its own with {@link #setThreadDefault} (a Spark task does, so
     * that dropout draws the same numbers whatever else the executor runs).
     */
    public static Generator defaultGenerator() {
        Generator g = THREAD_DEFAULT.get();
        return g != null ? g : DEFAULT;
    }

    /** The generator this thread made its default with {@link #setThreadDefault}, or null (it uses the process-wide one). */
    public static Generator threadDefaultOrNull() { return THREAD_DEFAULT.get(); }

    /** Makes g the default for the calling thread (null restores the process-wide one). */
    public static void setThreadDefault(Generator g) {
        if (g == null) THREAD_DEFAULT.remove();
        else THREAD_DEFAULT.set(g);
    }

    /** {@code torch.manual_seed}: reseeds the default generator. */
    public static void seedDefault(long seed) { defaultGenerator().manualSeed(seed); }

    /** Restarts this generator's sequence from {@code seed}. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        this.offset = 0;
        return this;
    }

    public synchronized long initialSeed() { return seed; }

    /** How many counters have been consumed; with the seed, the whole state. */
    public synchronized long offset() { return offset; }

    /** Restores a state captured with {@link #initialSeed()} and {@link #offset()}. */
    public synchronized void setState(long seed, long offset) {
        this.seed = seed;
        this.offset = offset;
    }

    /**
     * Reserves {@code count} consecutive counters and returns the first. Callers then compute
     * {@link #word(long, long)} for each counter in the block, in any order, on any thread.
     */
    public synchronized long reserve(long count) {
        long start = offset;
        offset += count;
        return start;
    }

    /** The seed to pass to {@link #word(long, long)}. */
    public synchronized long seed() { return seed; }

    /** The random 64-bit word at {@code counter} for {@code seed} (SplitMix64's mix function). */
    public static long word(long seed, long counter) {
        long z = seed * GOLDEN + (counter + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform double in [0, 1) from the word at {@code counter}: 53 random bits. */
    public static double uniform(long seed, long counter) {
        return (word(seed, counter) >>> 11) * 0x1.0p-53;
    }

    /** A uniform float in [0, 1) from the word at {@code counter}: 24 random bits. */
    public static float uniformFloat(long seed, long counter) {
        return (word(seed, counter) >>> 40) * 0x1.0p-24f;
    }

    /** Next uniform double in [0, 1), consuming one counter. */
    public double nextDouble() {
        long c;
        long s;
        synchronized (this) {
            c = offset++;
            s = seed;
        }
        return uniform(s, c);
    }

    /** Next uniform long in [0, bound), consuming one counter (rejection-free via 128-bit multiply). */
    public long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextLong: bound must be > 0 but got " + bound);
        long c;
        long s;
        synchronized (this) {
            c = offset++;
            s = seed;
        }
        return Math.unsignedMultiplyHigh(word(s, c), bound);
    }
}
