package dev.kindling.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Small files of a saved stage on any Hadoop file system (local, HDFS, S3...): each is written
 * under a hidden temporary name in its directory and renamed into place, so a reader never sees
 * half a file, and readers skip the hidden names as Spark does.
 */
final class HadoopFiles {
    private HadoopFiles() {}

    static void writeBytes(Configuration conf, Path target, byte[] bytes) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = temporary(fs, target);
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        moveIntoPlace(fs, tmp, target);
    }

    static void writeText(Configuration conf, Path target, String text) throws IOException {
        writeBytes(conf, target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies a local file (e.g. a safetensors file just written) to target. */
    static void upload(Configuration conf, java.nio.file.Path local, Path target) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        Path tmp = temporary(fs, target);
        fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
        moveIntoPlace(fs, tmp, target);
    }

    /** Copies target to a new local temporary file, which the caller deletes. */
    static java.nio.file.Path download(Configuration conf, Path source, String suffix) throws IOException {
        FileSystem fs = source.getFileSystem(conf);
        if (!fs.exists(source)) throw new IOException("missing file " + source);
        java.nio.file.Path local = Files.createTempFile("kindling-stage", suffix);
        try {
            fs.copyToLocalFile(false, source, new Path(local.toUri()), true);
            return local;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            throw e;
        }
    }

    static byte[] readBytes(Configuration conf, Path source) throws IOException {
        FileSystem fs = source.getFileSystem(conf);
        try (FSDataInputStream in = fs.open(source)) {
            return in.readAllBytes();
        }
    }

    /** The first visible file of a directory whose name starts with prefix (Spark's part files). */
    static Path firstFile(Configuration conf, Path dir, String prefix) throws IOException {
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
