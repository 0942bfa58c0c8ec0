package dev.kindling.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists the entries of an uncompressed CUDA fatbinary without cuobjdump: for each, whether it is
 * SASS (an ELF cubin) or PTX, its architecture, the kernel names it defines and a hash of its
 * payload. The container layout used (a 16-byte header with magic 0xBA55ED50 and the size of the
 * rest, then entries of a header giving kind at 0, header size at 4, payload size at 8 and the
 * architecture at 28) is what nvcc 13.0 writes, read from its output; an unknown layout fails.
 */
record FatbinIndex(List<Entry> entries) {
    private static final int MAGIC = 0xBA55ED50;
    private static final Pattern KERNEL = Pattern.compile("kd_[a-z0-9_]+");
    private static final Pattern PTX_ENTRY = Pattern.compile("\\.entry\\s+(kd_[a-z0-9_]+)\\s*\\(");

    /**
     * One embedded binary: kind "sass" or "ptx", architecture (75 for sm_75), kernel names, payload
     * SHA-256, and where the payload lies in the file.
     */
    record Entry(String kind, int arch, TreeSet<String> kernels, String sha256, int offset, int size) {}

    static FatbinIndex parse(byte[] fatbin) {
        ByteBuffer b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MAGIC) throw new IllegalArgumentException("not a fatbinary: magic 0x" + Integer.toHexString(b.getInt(0)));
        int headerSize = b.getShort(6) & 0xffff;
        long end = headerSize + b.getLong(8);
        if (end != fatbin.length) throw new IllegalArgumentException("fatbinary size " + end + " but file has " + fatbin.length + " bytes");
        List<Entry> entries = new ArrayList<>();
        int at = headerSize;
        while (at < end) {
            int kind = b.getShort(at) & 0xffff;
            int entryHeader = b.getInt(at + 4);
            long size = b.getLong(at + 8);
            int arch = b.getInt(at + 28);
            byte[] payload = java.util.Arrays.copyOfRange(fatbin, at + entryHeader, (int) (at + entryHeader + size));
            entries.add(switch (kind) {
                case 1 -> new Entry("ptx", arch, ptxKernels(payload), sha256(payload), at + entryHeader, (int) size);
                case 2 -> new Entry("sass", arch, elfKernels(payload), sha256(payload), at + entryHeader, (int) size);
                default -> throw new IllegalArgumentException("unknown fatbinary entry kind " + kind + " at " + at);
            });
            at += entryHeader + (int) size;
        }
        return new FatbinIndex(entries);
    }

    /** Names of PTX .entry functions. */
    private static TreeSet<String> ptxKernels(byte[] payload) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = PTX_ENTRY.matcher(new String(payload, StandardCharsets.ISO_8859_1));
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** Strings of the ELF's string tables that are exactly a kernel name (symbols, not section names). */
    private static TreeSet<String> elfKernels(byte[] payload) {
        if (payload[0] != 0x7f || payload[1] != 'E' || payload[2] != 'L' || payload[3] != 'F') {
            throw new IllegalArgumentException("SASS entry is not an uncompressed ELF");
        }
        TreeSet<String> names = new TreeSet<>();
        for (String s : new String(payload, StandardCharsets.ISO_8859_1).split("\0")) {
            if (KERNEL.matcher(s).matches()) names.add(s);
        }
        return names;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
