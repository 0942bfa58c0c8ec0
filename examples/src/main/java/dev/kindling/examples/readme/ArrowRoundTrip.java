package dev.kindling.examples.readme;

import dev.kindling.arrow.TensorBatch;
import dev.kindling.arrow.TensorBatchReader;
import dev.kindling.arrow.TensorBatchWriter;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

public class ArrowRoundTrip {
    public static void main(String[] args) throws Exception {
        Path file = Files.createDirectories(Path.of("kindling-output")).resolve("train.feather");
        try (BufferAllocator allocator = new RootAllocator()) {
            // Write a Feather V2 (Arrow IPC) file, as pandas' to_feather or PyArrow would.
            try (TensorBatch batch = TensorBatch.of(Map.of(
                         "pixels", Tensors.arange(2 * 4 * 4).to(DType.FLOAT32).reshape(2, 4, 4),
                         "label", Tensors.tensor(new long[] {3, 7}),
                         "a", Tensors.tensor(0.5f, 1.5f),
                         "b", Tensors.tensor(2f, 4f)));
                 TensorBatchWriter writer = TensorBatchWriter.file(file, allocator)) {
                writer.write(batch);
            }
            try (TensorBatchReader reader = TensorBatchReader.open(file, allocator)) {
                while (true) {
                    try (TensorBatch batch = reader.next()) {                    // closing releases the Arrow memory
                        if (batch == null) break;
                        Tensor x = batch.tensor("pixels");                       // FixedSizeList<float> -> [N, 4, 4], a view
                        Tensor y = batch.tensor("label");                        // BigInt -> int64 [N], a view
                        Tensor f = batch.copyAsMatrix(DType.FLOAT32, "a", "b");  // scalar columns -> [N, 2], a copy
                        System.out.println(x.sum() + " " + y + " " + f);
                    }
                }
            }
        }
    }
}
