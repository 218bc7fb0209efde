package s4amz.scripthost;

import groovy.json.JsonOutput;
import groovy.json.JsonSlurper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON for the protocol, through the runtime's own groovy-json (same package in Groovy 2.4 and 4). */
final class Json {
    private Json() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text) {
        Object parsed = new JsonSlurper().parseText(text);
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) plain(parsed);
    }

    /** Copies the parser's lazy maps and lists into plain LinkedHashMap / ArrayList. */
    static Object plain(Object value) {
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                copy.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return copy;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object item : (List<?>) value) {
                copy.add(plain(item));
            }
            return copy;
        }
        return value;
    }

    static String write(Map<String, Object> message) {
        return JsonOutput.toJson(message);
    }
}
