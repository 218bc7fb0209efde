package s4amz.scripthost;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * Java values to JSON values: strings, numbers, booleans, null, lists and maps cross as they are;
 * GStrings and characters as strings; dates as ISO-8601 UTC; byte arrays as Base64; anything else
 * as its {@code toString()}.
 */
final class Values {
    private static final int MAX_DEPTH = 64;

    private Values() {
    }

    static Map<String, Object> toJsonMap(Map<String, Object> source, Map<String, Object> types) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : new LinkedHashMap<String, Object>(source).entrySet()) {
            Object value = e.getValue();
            out.put(e.getKey(), toJson(value, 0));
            types.put(e.getKey(), value == null ? null : value.getClass().getName());
        }
        return out;
    }

    static Object toJson(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            return "<nested too deep>";
        }
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) ? value.toString() : value;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof Date) {
            SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            return format.format((Date) value);
        }
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.put(String.valueOf(e.getKey()), toJson(e.getValue(), depth + 1));
            }
            return out;
        }
        if (value instanceof Collection) {
            List<Object> out = new ArrayList<>();
            for (Object item : (Collection<?>) value) {
                out.add(toJson(item, depth + 1));
            }
            return out;
        }
        if (value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(toJson(Array.get(value, i), depth + 1));
            }
            return out;
        }
        return value.toString();
    }
}
