package s4amz.cpi.runtime;

import com.sap.it.api.mapping.ValueMappingApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Value mappings as the tenant holds them: groups that pair a value of one agency/identifier with a
 * value of another. Lookups work in both directions, as they do on the tenant; a miss gives null.
 */
public final class ValueMappingStore implements ValueMappingApi {
    /** One value-mapping entry (two representations of the same value). */
    public static final class Entry {
        final String[] left;
        final String[] right;

        public Entry(String sourceAgency, String sourceIdentifier, String sourceValue,
                String targetAgency, String targetIdentifier, String targetValue) {
            this.left = new String[] {sourceAgency, sourceIdentifier, sourceValue};
            this.right = new String[] {targetAgency, targetIdentifier, targetValue};
        }
    }

    /** (agency, identifier, value) of one side -> entries holding it, for both directions. */
    private final Map<String, List<String[]>> index = new HashMap<>();

    public void add(Entry entry) {
        index.computeIfAbsent(key(entry.left[0], entry.left[1], entry.left[2]), k -> new ArrayList<>()).add(entry.right);
        index.computeIfAbsent(key(entry.right[0], entry.right[1], entry.right[2]), k -> new ArrayList<>()).add(entry.left);
    }

    @Override
    public String getMappedValue(String sourceAgency, String sourceIdentifier, String sourceValue,
            String targetAgency, String targetIdentifier) {
        List<String[]> candidates = index.get(key(sourceAgency, sourceIdentifier, sourceValue));
        if (candidates != null) {
            for (String[] other : candidates) {
                if (eq(other[0], targetAgency) && eq(other[1], targetIdentifier)) {
                    return other[2];
                }
            }
        }
        return null;
    }

    private static String key(String agency, String identifier, String value) {
        return agency + '\u0000' + identifier + '\u0000' + value;
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
