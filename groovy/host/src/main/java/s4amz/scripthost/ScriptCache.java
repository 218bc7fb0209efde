package s4amz.scripthost;

import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import java.util.concurrent.ConcurrentHashMap;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.runtime.InvokerHelper;
import s4amz.cpi.runtime.StandInMessageLogFactory;

/**
 * Compiled scripts keyed by name and content hash. Each loaded script gets its own class loader
 * and one long-lived instance whose binding is shared by every call, as on the tenant (variables a
 * script assigns without {@code def} persist and are visible to the next message).
 */
final class ScriptCache {
    /** One compiled script and its shared instance. */
    static final class Loaded {
        final Class<?> scriptClass;
        final Script shared;
        final long compileNanos;

        Loaded(Class<?> scriptClass, Script shared, long compileNanos) {
            this.scriptClass = scriptClass;
            this.shared = shared;
            this.compileNanos = compileNanos;
        }

        Script freshInstance() {
            return newInstance(scriptClass);
        }
    }

    private final ConcurrentHashMap<String, Loaded> loaded = new ConcurrentHashMap<>();

    int size() {
        return loaded.size();
    }

    void clear() {
        loaded.clear();
    }

    /** The cached script, compiling it first when needed; the flag tells whether it was compiled now. */
    Loaded get(String name, String hash, String source, boolean[] compiledNow) {
        String key = name + "@" + hash;
        Loaded hit = loaded.get(key);
        if (hit != null) {
            return hit;
        }
        synchronized (this) {
            hit = loaded.get(key);
            if (hit != null) {
                return hit;
            }
            long start = System.nanoTime();
            Class<?> type = compile(name, source);
            Loaded fresh = new Loaded(type, newInstance(type), System.nanoTime() - start);
            loaded.put(key, fresh);
            compiledNow[0] = true;
            return fresh;
        }
    }

    static Class<?> compile(String name, String source) {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setSourceEncoding("UTF-8");
        GroovyClassLoader loader = new GroovyClassLoader(ScriptCache.class.getClassLoader(), config);
        return loader.parseClass(new GroovyCodeSource(source, name, "/groovy/script"), false);
    }

    static Script newInstance(Class<?> type) {
        Binding binding = new Binding();
        binding.setVariable("messageLogFactory", new StandInMessageLogFactory());
        return InvokerHelper.createScript(type, binding);
    }
}
