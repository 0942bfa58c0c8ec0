package dev.kindling.spark;

import dev.kindling.io.Checkpoint;
import dev.kindling.nn.Module;
import dev.kindling.optim.LRScheduler;
import dev.kindling.optim.Optimizer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training checkpoints in a directory of any Hadoop file system (local, HDFS, S3...): one
 * safetensors file per checkpoint ({@link Checkpoint}'s format: model, optimizer, scheduler, step
 * and metadata), written to a temporary name and renamed, so a crash never leaves a half-written
 * checkpoint behind; the two most recent are kept.
 */
final class HadoopCheckpoints {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.safetensors");
    private static final int KEEP = 2;
    private final Path dir;
    private final Configuration conf;

    HadoopCheckpoints(String dir, Configuration conf) {
        this.dir = new Path(dir);
        this.conf = conf;
    }

    void save(long step, Module model, Optimizer optimizer, LRScheduler scheduler, Map<String, String> metadata) {
        java.nio.file.Path local = null;
        try {
            FileSystem fs = dir.getFileSystem(conf);
            fs.mkdirs(dir);
            local = Files.createTempFile("kindling-checkpoint", ".safetensors");
            Checkpoint.save(local, model, optimizer, scheduler, step, metadata);
            String name = String.format("checkpoint-%012d.safetensors", step);
            Path tmp = new Path(dir, "." + name + ".tmp");
            Path target = new Path(dir, name);
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
            List<Long> steps = steps(fs);
            for (int i = 0; i < steps.size() - KEEP; i++) fs.delete(new Path(dir, String.format("checkpoint-%012d.safetensors", steps.get(i))), false);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a checkpoint to " + dir + " failed", e);
        } finally {
            if (local != null) local.toFile().delete();
        }
    }

    /** Restores the newest checkpoint into the objects, if the directory has one. */
    Optional<Checkpoint.Restored> restoreLatest(Module model, Optimizer optimizer, LRScheduler scheduler) {
        java.nio.file.Path local = null;
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) return Optional.empty();
            List<Long> steps = steps(fs);
            if (steps.isEmpty()) return Optional.empty();
            Path latest = new Path(dir, String.format("checkpoint-%012d.safetensors", steps.get(steps.size() - 1)));
            local = Files.createTempFile("kindling-restore", ".safetensors");
            fs.copyToLocalFile(false, latest, new Path(local.toUri()), true);
            return Optional.of(Checkpoint.restore(local, model, optimizer, scheduler));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a checkpoint from " + dir + " failed", e);
        } finally {
            if (local != null) local.toFile().delete();
        }
    }

    private List<Long> steps(FileSystem fs) throws IOException {
        List<Long> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            Matcher m = NAME.matcher(s.getPath().getName());
            if (m.matches()) out.add(Long.parseLong(m.group(1)));
        }
        out.sort(null);
        return out;
    }
}
