package dev.kindling.spark.data;

import org.apache.arrow.memory.OutOfMemoryException;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Anonymous memory mappings aligned to 2 MiB and marked {@code MADV_HUGEPAGE}, so that Linux backs
 * them with transparent huge pages: writing fresh memory then takes one page fault per 2 MiB
 * instead of one per 4 KiB. On the development VM a first write into 4 KiB pages runs at
 * ~0.1 GB/s (each fault is a VM exit) and into huge pages at ~8 GB/s, so this decides how fast a
 * DataFrame can be converted into fresh Arrow memory. Linux only ({@link #available()}); where
 * the kernel has huge pages off, madvise fails harmlessly and the mapping uses small pages.
 */
final class HugePages {
    static final long SIZE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MADV_HUGEPAGE = 14;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        MethodHandle madvise = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            mmap = libc.find("mmap").map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG))).orElse(null);
            munmap = libc.find("munmap").map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG))).orElse(null);
            madvise = libc.find("madvise").map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT))).orElse(null);
        }
        boolean all = mmap != null && munmap != null && madvise != null;
        MMAP = all ? mmap : null;
        MUNMAP = all ? munmap : null;
        MADVISE = all ? madvise : null;
    }

    private HugePages() {}

    /** True where mappings can be made (Linux with libc's mmap, munmap and madvise). */
    static boolean available() { return MMAP != null; }

    /** Bytes a mapping of the given size takes: whole huge pages. */
    static long mappedSize(long bytes) { return (bytes + SIZE - 1) / SIZE * SIZE; }

    /**
     * A fresh mapping of {@link #mappedSize}(bytes), aligned to {@link #SIZE}; the kernel hands out
     * its pages zeroed on first write. Fails with Arrow's {@link OutOfMemoryException} when the
     * kernel refuses (so the caller reports off-heap exhaustion as for any other allocation).
     */
    static MemorySegment map(long bytes) {
        long size = mappedSize(bytes);
        try {
            // Over-map by one huge page and cut the unaligned ends off: only aligned 2 MiB ranges get huge pages.
            long raw = (long) MMAP.invokeExact(0L, size + SIZE, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (raw == -1L) throw new OutOfMemoryException("mmap of " + (size + SIZE) + " bytes failed");
            long start = (raw + SIZE - 1) & -SIZE;
            if (start > raw) unmap(raw, start - raw);
            long end = raw + size + SIZE;
            if (end > start + size) unmap(start + size, end - start - size);
            int ignored = (int) MADVISE.invokeExact(start, size, MADV_HUGEPAGE);
            return MemorySegment.ofAddress(start).reinterpret(size);
        } catch (OutOfMemoryException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    /** Returns the mapping to the kernel. */
    static void unmap(MemorySegment mapping) { unmap(mapping.address(), mapping.byteSize()); }

    private static void unmap(long address, long bytes) {
        try {
            int rc = (int) MUNMAP.invokeExact(address, bytes);
            if (rc != 0) throw new IllegalStateException("munmap(" + address + ", " + bytes + ") failed");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }
}
