package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A case's kwargs that remember which keys the port looked at, so that the runner can fail a case
 * whose kwargs include one the Kindling call ignores (an option silently dropped would otherwise
 * pass whenever its default happens to give the same numbers).
 */
final class UsedKwargs extends ObjectNode {
    private final Set<String> read = new HashSet<>();

    private UsedKwargs(Map<String, JsonNode> fields) {
        super(JsonNodeFactory.instance, fields);
    }

    static UsedKwargs of(JsonNode kwargs) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        if (kwargs != null && kwargs.isObject()) kwargs.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return new UsedKwargs(fields);
    }

    @Override
    public JsonNode get(String name) {
        read.add(name);
        return super.get(name);
    }

    @Override
    public JsonNode path(String name) {
        read.add(name);
        return super.path(name);
    }

    @Override
    public boolean has(String name) {
        read.add(name);
        return super.has(name);
    }

    @Override
    public boolean hasNonNull(String name) {
        read.add(name);
        return super.hasNonNull(name);
    }

    /** The keys present but never read, in file order. */
    List<String> unread() {
        List<String> out = new ArrayList<>();
        fieldNames().forEachRemaining(k -> { if (!read.contains(k)) out.add(k); });
        return out;
    }
}
