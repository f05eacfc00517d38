package dev.graft.engine.claims;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Comparing config values with Java constants, and printing them in one short line. */
final class JsonValues {
    private JsonValues() {
    }

    static boolean isAbsent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    /** Whether a config value equals a Java constant: null, Boolean, Number, String, or an int[] / List for arrays. */
    static boolean matches(JsonNode v, Object allowed) {
        if (allowed == null) return isAbsent(v);
        if (isAbsent(v)) return false;
        if (allowed instanceof Boolean b) return v.isBoolean() && v.asBoolean() == b;
        if (allowed instanceof Number n) return v.isNumber() && v.asDouble() == n.doubleValue();
        if (allowed instanceof String s) return v.isTextual() && v.asText().equals(s);
        if (allowed instanceof int[] a) {
            if (!v.isArray() || v.size() != a.length) return false;
            for (int i = 0; i < a.length; i++) if (!v.get(i).isNumber() || v.get(i).asDouble() != a[i]) return false;
            return true;
        }
        return false;
    }

    /** A value as the refusal prints it: JSON, cut short. */
    static String show(JsonNode v) {
        if (isAbsent(v)) return "null";
        String s = v.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    static String describe(Object[] values) {
        List<String> out = new ArrayList<>();
        for (Object o : values) {
            if (o == null) out.add("null");
            else if (o instanceof String s) out.add("\"" + s + "\"");
            else if (o instanceof int[] a) out.add(java.util.Arrays.toString(a));
            else out.add(o.toString());
        }
        return String.join(" or ", out);
    }

    /** The integers of a value that is a number or an array of numbers (Keras writes both for sizes); null otherwise. */
    static int[] ints(JsonNode v) {
        if (isAbsent(v)) return null;
        if (v.isNumber()) return new int[] {v.asInt()};
        if (!v.isArray()) return null;
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (e.isArray()) return null;
            if (!e.isNumber()) return null;
            out[i] = e.asInt();
        }
        return out;
    }
}
