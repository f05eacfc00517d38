package dev.graft.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.graft.format.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plan file (YAML, or JSON, which YAML reads too) into step drafts: {@code vars:} substituted
 * as {@code ${name}} in every string, and a step with {@code matrix:} expanded into one step per
 * combination of its lists ({@code ${name.stem}} is the file name without folder and extension).
 */
final class PlanReader {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(\\.stem)?}");
    private static final Set<String> STEP_KEYS = Set.of("name", "matrix");

    private PlanReader() {
    }

    static List<StepDraft> read(Path planFile, Set<String> kinds) {
        JsonNode root = parse(planFile);
        if (!root.isObject()) throw new PlanException(planFile + ": a plan is a mapping with a 'steps:' list");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("steps") && !k.equals("vars")) throw new PlanException(planFile + ": unknown top-level key '" + k + "' (a plan has 'vars:' and 'steps:')");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        JsonNode v = root.path("vars");
        if (!v.isMissingNode()) {
            if (!v.isObject()) throw new PlanException(planFile + ": 'vars:' must map names to values");
            v.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode()) throw new PlanException(planFile + ": vars: '" + e.getKey() + "' must be a single value");
                vars.put(e.getKey(), e.getValue().asText());
            });
        }
        JsonNode steps = root.path("steps");
        if (!steps.isArray() || steps.isEmpty()) throw new PlanException(planFile + ": 'steps:' must be a non-empty list");
        List<StepDraft> drafts = new ArrayList<>();
        int written = 0;
        for (JsonNode s : steps) {
            written++;
            String where = planFile + ": step " + written + " in the file";
            if (!s.isObject()) throw new PlanException(where + ": a step is a mapping like '- merge: [...]'");
            String kind = null;
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (STEP_KEYS.contains(k)) continue;
                if (!kinds.contains(k)) {
                    throw new PlanException(where + ": unknown step '" + k + "' (steps: " + String.join(", ", kinds.stream().sorted().toList()) + ")");
                }
                if (kind != null) throw new PlanException(where + ": one command per step, found '" + kind + "' and '" + k + "'");
                kind = k;
            }
            if (kind == null) throw new PlanException(where + ": no command (one of " + String.join(", ", kinds.stream().sorted().toList()) + ")");
            for (Map<String, String> binding : combinations(s.path("matrix"), vars, where)) {
                Map<String, String> scope = new LinkedHashMap<>(vars);
                scope.putAll(binding);
                String name = s.hasNonNull("name") ? substitute(s.get("name").asText(), scope, where) : null;
                drafts.add(new StepDraft(drafts.size() + 1, name, kind, substitute(s.get(kind), scope, where)));
            }
        }
        return drafts;
    }

    private static JsonNode parse(Path planFile) {
        String text;
        if (!Files.isRegularFile(planFile)) throw new PlanException(planFile + ": no such file");
        try {
            text = Files.readString(planFile);
        } catch (IOException e) {
            throw new PlanException(planFile + ": cannot read the plan (" + e.getMessage() + ")");
        }
        try {
            JsonNode n = text.stripLeading().startsWith("{") ? Json.MAPPER.readTree(text) : YAML.readTree(text);
            if (n == null || n.isMissingNode()) throw new PlanException(planFile + ": the plan is empty");
            return n;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new PlanException(planFile + ": not valid YAML or JSON" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** Every combination of a step's matrix lists, in the order written (the first list varies slowest). */
    private static List<Map<String, String>> combinations(JsonNode matrix, Map<String, String> vars, String where) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        if (matrix.isMissingNode() || matrix.isNull()) return out;
        if (!matrix.isObject() || matrix.isEmpty()) throw new PlanException(where + ", key 'matrix': map names to lists, e.g. {first: [a.h5, b.h5], second: [c.h5]}");
        for (Iterator<Map.Entry<String, JsonNode>> it = matrix.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray() || e.getValue().isEmpty()) throw new PlanException(where + ", key 'matrix': '" + e.getKey() + "' must be a non-empty list");
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (JsonNode value : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), substitute(value.asText(), vars, where));
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static JsonNode substitute(JsonNode n, Map<String, String> scope, String where) {
        if (n == null || n.isNull()) return n;
        if (n.isTextual()) return TextNode.valueOf(substitute(n.asText(), scope, where));
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(substitute(e, scope, where)));
            return a;
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            n.fields().forEachRemaining(e -> o.set(e.getKey(), substitute(e.getValue(), scope, where)));
            return o;
        }
        return n;
    }

    static String substitute(String s, Map<String, String> scope, String where) {
        Matcher m = VAR.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = scope.get(m.group(1));
            if (value == null) throw new PlanException(where + ": unknown variable '${" + m.group(1) + "}' (define it under 'vars:' or 'matrix:')");
            if (m.group(2) != null) value = stem(value);
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String stem(String file) {
        String name = Path.of(file).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
