package dev.kindling.cuda;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.UnaryOp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The op numbers in OpCodes are those of the enums in the CUDA sources, kind by kind. */
class OpCodesTest {
    static final Path SOURCES = Path.of("src/main/cuda");

    @Test
    void unaryCodesMatchTheCudaEnum() throws IOException {
        Map<String, Integer> cuda = enumValues("elementwise.cuh", "U_");
        assertEquals(UnaryOp.Kind.values().length, cuda.size(), "kinds in core vs UnaryCode entries");
        for (UnaryOp.Kind k : UnaryOp.Kind.values()) assertEquals(cuda.get(k.name()), OpCodes.unary(k), k.name());
    }

    @Test
    void binaryCodesMatchTheCudaEnum() throws IOException {
        Map<String, Integer> cuda = enumValues("elementwise.cuh", "B_");
        assertEquals(BinaryOp.Kind.values().length, cuda.size(), "kinds in core vs BinaryCode entries");
        for (BinaryOp.Kind k : BinaryOp.Kind.values()) assertEquals(cuda.get(k.name()), OpCodes.binary(k), k.name());
    }

    @Test
    void reduceCodesMatchTheCudaEnum() throws IOException {
        Map<String, Integer> cuda = enumValues("reduce.cuh", "R_");
        assertEquals(ReduceOp.values().length, cuda.size());
        for (ReduceOp op : ReduceOp.values()) assertEquals(cuda.get(op.name()), OpCodes.reduce(op), op.name());
    }

    /** NAME -> value of every "PREFIXNAME = value" in the file. */
    static Map<String, Integer> enumValues(String file, String prefix) throws IOException {
        String text = Files.readString(SOURCES.resolve(file));
        Matcher m = Pattern.compile("\\b" + prefix + "([A-Z0-9_]+) = (\\d+)").matcher(text);
        Map<String, Integer> values = new HashMap<>();
        while (m.find()) values.put(m.group(1), Integer.parseInt(m.group(2)));
        return values;
    }
}
