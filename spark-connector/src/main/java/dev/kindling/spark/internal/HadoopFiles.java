package dev.kindling.spark.internal;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Small files of a saved stage on any Hadoop file system (local, HDFS, S3...): each is written
 * under a hidden temporary name in its directory and renamed into place, so a reader never sees
 * half a file, and readers skip the hidden names as Spark does.
 */
public final class HadoopFiles {
    private HadoopFiles() {}

    public static void writeBytes(Configuration conf, Path target, byte[] bytes) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = temporary(fs, target);
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        moveIntoPlace(fs, tmp, target);
    }

    public static void writeText(Configuration conf, Path target, String text) throws IOException {
        writeBytes(conf, target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** What writes a file's bytes to a stream. */
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Streams what writer writes to target (through the hidden temporary name). */
    public static void writeStream(Configuration conf, Path target, StreamWriter writer) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = temporary(fs, target);
        try {
            try (FSDataOutputStream raw = fs.create(tmp, true); OutputStream out = new BufferedOutputStream(raw, 1 << 20)) {
                writer.write(out);
            }
            moveIntoPlace(fs, tmp, target);
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, false);
        }
    }

    /** Copies a local file to target (through the hidden temporary name). */
    public static void upload(Configuration conf, java.nio.file.Path local, Path target) throws IOException {
        writeStream(conf, target, out -> java.nio.file.Files.copy(local, out));
    }

    public static byte[] readBytes(Configuration conf, Path source) throws IOException {
        FileSystem fs = source.getFileSystem(conf);
        try (FSDataInputStream in = fs.open(source)) {
            return in.readAllBytes();
        }
    }

    /** The first visible file of a directory whose name starts with prefix (Spark's part files). */
    public static Path firstFile(Configuration conf, Path dir, String prefix) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) throw new IOException("missing directory " + dir);
        Path best = null;
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isFile() && name.startsWith(prefix) && (best == null || name.compareTo(best.getName()) < 0)) best = s.getPath();
        }
        if (best == null) throw new IOException("no " + prefix + "* file in " + dir);
        return best;
    }

    private static Path temporary(FileSystem fs, Path target) throws IOException {
        fs.mkdirs(target.getParent());
        return new Path(target.getParent(), "." + target.getName() + ".tmp");
    }

    private static void moveIntoPlace(FileSystem fs, Path tmp, Path target) throws IOException {
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException("could not rename " + tmp + " to " + target);
        }
    }
}
