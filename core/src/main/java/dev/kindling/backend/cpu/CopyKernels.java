package dev.kindling.backend.cpu;

import dev.kindling.backend.StridedView;
import dev.kindling.tensor.DType;

/**
 * Strided copy with dtype conversion between array-backed tensors, and fill. Same-dtype runs that
 * are contiguous on both sides become {@link System#arraycopy}; conversions go through a small
 * double (or, between integer types, long) buffer, one run at a time, so each loop has a single
 * array type on each side.
 */
final class CopyKernels {
    private static final int CHUNK = 4096;

    private CopyKernels() {}

    static void copy(StridedView src, StridedView dst) {
        Object s = src.storage().array();
        Object d = dst.storage().array();
        DType sd = src.dtype();
        DType dd = dst.dtype();
        StridedIter it = StridedIter.of(dst.shape(), new int[] {dst.storageOffset(), src.storageOffset()},
                dst.strides(), src.strides());
        int ds = it.innerStride(0);
        int ss = it.innerStride(1);
        if (sd == dd) {
            it.parallel((offs, len) -> {
                if (ds == 1 && ss == 1) System.arraycopy(s, offs[1], d, offs[0], len);
                else sameTypeRun(s, offs[1], ss, d, offs[0], ds, len);
            });
        } else if (sd.isIntegral() && dd.isIntegral()) {
            it.parallel((offs, len) -> {
                long[] buf = new long[Math.min(len, CHUNK)];
                for (int start = 0; start < len; start += CHUNK) {
                    int n = Math.min(CHUNK, len - start);
                    readLongs(s, sd, offs[1] + start * ss, ss, buf, n);
                    writeLongs(buf, n, d, dd, offs[0] + start * ds, ds);
                }
            });
        } else {
            it.parallel((offs, len) -> {
                double[] buf = new double[Math.min(len, CHUNK)];
                for (int start = 0; start < len; start += CHUNK) {
                    int n = Math.min(CHUNK, len - start);
                    readDoubles(s, sd, offs[1] + start * ss, ss, buf, n);
                    writeDoubles(buf, n, d, dd, offs[0] + start * ds, ds);
                }
            });
        }
    }

    private static void sameTypeRun(Object s, int so, int ss, Object d, int o, int ds, int len) {
        switch (d) {
            case float[] dst -> {
                float[] src = (float[]) s;
                for (int i = 0; i < len; i++) dst[o + i * ds] = src[so + i * ss];
            }
            case double[] dst -> {
                double[] src = (double[]) s;
                for (int i = 0; i < len; i++) dst[o + i * ds] = src[so + i * ss];
            }
            case int[] dst -> {
                int[] src = (int[]) s;
                for (int i = 0; i < len; i++) dst[o + i * ds] = src[so + i * ss];
            }
            case long[] dst -> {
                long[] src = (long[]) s;
                for (int i = 0; i < len; i++) dst[o + i * ds] = src[so + i * ss];
            }
            case byte[] dst -> {
                byte[] src = (byte[]) s;
                for (int i = 0; i < len; i++) dst[o + i * ds] = src[so + i * ss];
            }
            default -> throw new IllegalStateException("unexpected array " + d.getClass());
        }
    }

    static void readDoubles(Object s, DType dt, int o, int st, double[] buf, int n) {
        switch (s) {
            case float[] a -> { for (int i = 0; i < n; i++) buf[i] = a[o + i * st]; }
            case double[] a -> { for (int i = 0; i < n; i++) buf[i] = a[o + i * st]; }
            case int[] a -> { for (int i = 0; i < n; i++) buf[i] = a[o + i * st]; }
            case long[] a -> { for (int i = 0; i < n; i++) buf[i] = a[o + i * st]; }
            case byte[] a -> {
                if (dt == DType.UINT8) for (int i = 0; i < n; i++) buf[i] = a[o + i * st] & 0xFF;
                else for (int i = 0; i < n; i++) buf[i] = a[o + i * st];
            }
            default -> throw new IllegalStateException("unexpected array " + s.getClass());
        }
    }

    static void writeDoubles(double[] buf, int n, Object d, DType dt, int o, int st) {
        switch (d) {
            case float[] a -> { for (int i = 0; i < n; i++) a[o + i * st] = (float) buf[i]; }
            case double[] a -> { for (int i = 0; i < n; i++) a[o + i * st] = buf[i]; }
            case int[] a -> { for (int i = 0; i < n; i++) a[o + i * st] = (int) (long) buf[i]; }
            case long[] a -> { for (int i = 0; i < n; i++) a[o + i * st] = (long) buf[i]; }
            case byte[] a -> {
                if (dt == DType.BOOL) for (int i = 0; i < n; i++) a[o + i * st] = (byte) (buf[i] != 0 ? 1 : 0);
                else for (int i = 0; i < n; i++) a[o + i * st] = (byte) (long) buf[i];
            }
            default -> throw new IllegalStateException("unexpected array " + d.getClass());
        }
    }

    static void readLongs(Object s, DType dt, int o, int st, long[] buf, int n) {
        switch (s) {
            case int[] a -> { for (int i = 0; i < n; i++) buf[i] = a[o + i * st]; }
            case long[] a -> { for (int i = 0; i < n; i++) buf[i] = a[o + i * st]; }
            case byte[] a -> {
                if (dt == DType.UINT8) for (int i = 0; i < n; i++) buf[i] = a[o + i * st] & 0xFF;
                else for (int i = 0; i < n; i++) buf[i] = a[o + i * st];
            }
            default -> throw new IllegalStateException("unexpected integer array " + s.getClass());
        }
    }

    static void writeLongs(long[] buf, int n, Object d, DType dt, int o, int st) {
        switch (d) {
            case int[] a -> { for (int i = 0; i < n; i++) a[o + i * st] = (int) buf[i]; }
            case long[] a -> { for (int i = 0; i < n; i++) a[o + i * st] = buf[i]; }
            case byte[] a -> {
                if (dt == DType.BOOL) for (int i = 0; i < n; i++) a[o + i * st] = (byte) (buf[i] != 0 ? 1 : 0);
                else for (int i = 0; i < n; i++) a[o + i * st] = (byte) buf[i];
            }
            default -> throw new IllegalStateException("unexpected integer array " + d.getClass());
        }
    }

    /** Sets every element of the array-backed dst to value. */
    static void fill(StridedView dst, double value) {
        Object d = dst.storage().array();
        DType dt = dst.dtype();
        StridedIter it = StridedIter.of(dst.shape(), new int[] {dst.storageOffset()}, dst.strides());
        int st = it.innerStride(0);
        it.parallel((offs, len) -> {
            int o = offs[0];
            switch (d) {
                case float[] a -> { float v = (float) value; if (st == 1) java.util.Arrays.fill(a, o, o + len, v); else for (int i = 0; i < len; i++) a[o + i * st] = v; }
                case double[] a -> { if (st == 1) java.util.Arrays.fill(a, o, o + len, value); else for (int i = 0; i < len; i++) a[o + i * st] = value; }
                case int[] a -> { int v = (int) (long) value; for (int i = 0; i < len; i++) a[o + i * st] = v; }
                case long[] a -> { long v = (long) value; for (int i = 0; i < len; i++) a[o + i * st] = v; }
                case byte[] a -> {
                    byte v = dt == DType.BOOL ? (byte) (value != 0 ? 1 : 0) : (byte) (long) value;
                    for (int i = 0; i < len; i++) a[o + i * st] = v;
                }
                default -> throw new IllegalStateException();
            }
        });
    }
}
