package s4amz.scripthost.tools;

import groovy.json.JsonOutput;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Prints, as JSON, the public signatures (generic form) of every class in the given packages found
 * in the given jars. Used to hold the stand-in against SAP's published script API jar.
 *
 * <p>Usage: {@code SignatureDump <package-prefix,...> <jar> [<jar> ...]}; the jars after the first
 * are only the classpath needed to load the first one's classes.
 */
public final class SignatureDump {
    private SignatureDump() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SignatureDump <package-prefix,...> <jar> [<classpath jar> ...]");
            System.exit(2);
        }
        String[] prefixes = args[0].split(",");
        URL[] urls = new URL[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            urls[i - 1] = new File(args[i]).toURI().toURL();
        }
        Map<String, Object> out = new TreeMap<>();
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            for (String name : classNames(args[1], prefixes)) {
                out.put(name, describe(loader, name));
            }
        }
        System.out.println(JsonOutput.toJson(out));
    }

    private static List<String> classNames(String jar, String[] prefixes) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar)) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                if (!entry.endsWith(".class") || entry.contains("$")) {
                    continue;
                }
                String name = entry.substring(0, entry.length() - 6).replace('/', '.');
                for (String prefix : prefixes) {
                    if (name.startsWith(prefix)) {
                        names.add(name);
                        break;
                    }
                }
            }
        }
        return names;
    }

    private static Map<String, Object> describe(ClassLoader loader, String name) {
        Map<String, Object> out = new TreeMap<>();
        try {
            Class<?> type = Class.forName(name, false, loader);
            if (!Modifier.isPublic(type.getModifiers())) {
                out.put("public", false);
                return out;
            }
            out.put("public", true);
            out.put("kind", type.isInterface() ? "interface" : type.isEnum() ? "enum" : "class");
            out.put("superclass", type.getGenericSuperclass() == null ? null : type.getGenericSuperclass().getTypeName());
            List<String> interfaces = new ArrayList<>();
            for (java.lang.reflect.Type t : type.getGenericInterfaces()) {
                interfaces.add(t.getTypeName());
            }
            out.put("interfaces", interfaces);
            List<String> members = new ArrayList<>();
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    members.add(normalize(m.toGenericString(), type.isInterface()));
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) {
                    members.add(c.toGenericString());
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    members.add(f.toGenericString());
                }
            }
            java.util.Collections.sort(members);
            out.put("members", members);
        } catch (Throwable t) {
            out.put("error", t.toString());
        }
        return out;
    }

    /** Interface methods compiled by different javac versions differ only in "abstract"; drop it. */
    private static String normalize(String signature, boolean isInterface) {
        return isInterface ? signature.replace("public abstract ", "public ") : signature;
    }
}
