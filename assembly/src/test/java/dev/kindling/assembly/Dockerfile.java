package dev.kindling.assembly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile, as far as the static checks need them: ARG defaults, ENV
 * values, COPY sources and destinations, the ENTRYPOINT. Continuation lines are joined and
 * comments dropped, as the Dockerfile reference describes; {@code ${NAME}} in COPY sources is
 * replaced by the ARG's default, as a build without --build-arg would.
 */
record Dockerfile(Path file, Map<String, String> args, Map<String, String> env, List<Copy> copies, List<String> entrypoint) {
    /** One COPY: its sources (build-context paths, or paths in stage {@code from}) and its destination. */
    record Copy(String from, List<String> sources, String destination) {}

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

    static Dockerfile parse(Path file) throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<Copy> copies = new ArrayList<>();
        List<String> entrypoint = List.of();
        for (String line : logicalLines(Files.readAllLines(file))) {
            String[] parts = line.split("\\s+", 2);
            String instruction = parts[0].toUpperCase(java.util.Locale.ROOT);
            String rest = parts.length > 1 ? parts[1].strip() : "";
            switch (instruction) {
                case "ARG" -> {
                    int eq = rest.indexOf('=');
                    if (eq > 0) args.put(rest.substring(0, eq), rest.substring(eq + 1));
                    else args.putIfAbsent(rest, null);
                }
                case "ENV" -> {
                    Matcher m = ENV_PAIR.matcher(rest);
                    while (m.find()) {
                        String v = m.group(2);
                        env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
                    }
                }
                case "COPY" -> {
                    List<String> tokens = new ArrayList<>(Arrays.asList(rest.split("\\s+")));
                    String from = null;
                    while (tokens.get(0).startsWith("--")) {
                        String flag = tokens.remove(0);
                        if (flag.startsWith("--from=")) from = flag.substring(7);
                    }
                    String destination = tokens.remove(tokens.size() - 1);
                    List<String> sources = tokens.stream().map(t -> substitute(t, args)).toList();
                    copies.add(new Copy(from, sources, destination));
                }
                case "ENTRYPOINT" -> entrypoint = Arrays.stream(rest.replaceAll("^\\[|]$", "").split(","))
                        .map(s -> s.strip().replaceAll("^\"|\"$", "")).toList();
                default -> { }
            }
        }
        return new Dockerfile(file, args, env, copies, entrypoint);
    }

    /** Lines with continuations joined, without comments and blank lines. */
    private static List<String> logicalLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) continue;
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(current.append(line).toString());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) out.add(current.toString());
        return out;
    }

    private static String substitute(String s, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String v = args.get(name);
            if (v == null) throw new IllegalArgumentException("COPY source '" + s + "' uses ARG " + name + ", which has no default");
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    /** The COPY that puts something at path in the image (a file destination or a directory one), or null. */
    Copy copyTo(String path) {
        for (Copy c : copies) {
            String d = c.destination();
            if (d.equals(path)) return c;
            if (d.endsWith("/") && path.startsWith(d)) {
                String name = path.substring(d.length());
                if (c.sources().stream().anyMatch(s -> s.endsWith("/" + name) || s.endsWith("/") || s.equals(name))) return c;
            }
        }
        return null;
    }
}
