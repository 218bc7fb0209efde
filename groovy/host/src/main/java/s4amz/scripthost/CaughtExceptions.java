package s4amz.scripthost;

import com.sap.gateway.core.ip.component.odata.exception.OsciException;
import groovy.lang.GroovyClassLoader;
import java.lang.reflect.Constructor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.component.ahc.AhcOperationFailedException;
import org.apache.cxf.binding.soap.SoapFault;

/**
 * Rebuilds an exception the emulator's runtime caught (sent as JSON: class, message, and for receiver
 * failures status code, status text, response body, headers, fault code, detail) as a Java object a
 * script uses the way it would on a tenant: {@code ex.getMessage()}, {@code ex.getClass().getName()},
 * and the adapter's accessors ({@code getStatusCode()}, {@code getResponseBody()} ...).
 *
 * <p>Classes the host ships (the HTTP, SOAP and OData receivers' exceptions) are built with their
 * accessors. A JDK class with a {@code (String)} constructor is instantiated. Any other name gets an
 * exception class of exactly that name, defined once per name, with the message only.
 */
final class CaughtExceptions {
    private static final Pattern JAVA_NAME = Pattern.compile("([a-zA-Z_$][\\w$]*\\.)*[a-zA-Z_$][\\w$]*");
    private static final Map<String, Class<?>> DEFINED = new ConcurrentHashMap<>();
    private static final GroovyClassLoader LOADER = new GroovyClassLoader(CaughtExceptions.class.getClassLoader());

    private CaughtExceptions() {
    }

    @SuppressWarnings("unchecked")
    static Throwable rebuild(Map<String, Object> data) {
        String name = str(data.get("class"), "java.lang.Exception");
        String message = str(data.get("message"), null);
        Throwable built;
        if (AhcOperationFailedException.class.getName().equals(name)) {
            Map<String, String> headers = new LinkedHashMap<>();
            Object raw = data.get("responseHeaders");
            if (raw instanceof Map) {
                for (Map.Entry<String, Object> e : ((Map<String, Object>) raw).entrySet()) {
                    headers.put(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            built = new AhcOperationFailedException(str(data.get("url"), ""), integer(data.get("statusCode"), 0),
                    str(data.get("statusText"), ""), headers.get("Location"), headers, str(data.get("responseBody"), ""));
        } else if (SoapFault.class.getName().equals(name)) {
            built = new SoapFault(message, SoapFault.code(str(data.get("faultCode"), null)),
                    integer(data.get("statusCode"), 500), str(data.get("detail"), null));
        } else if (OsciException.class.getName().equals(name)) {
            built = new OsciException(message);
        } else {
            built = instantiate(name, message);
        }
        Object cause = data.get("cause");
        if (cause instanceof Map) {
            try {
                built.initCause(rebuild((Map<String, Object>) cause));
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // the class fixed its own cause
            }
        }
        return built;
    }

    private static Throwable instantiate(String name, String message) {
        if (!JAVA_NAME.matcher(name).matches()) {
            return new Exception(name + (message == null ? "" : ": " + message));
        }
        try {
            Class<?> type = Class.forName(name, false, CaughtExceptions.class.getClassLoader());
            if (Throwable.class.isAssignableFrom(type)) {
                Constructor<?> constructor = type.getConstructor(String.class);
                return (Throwable) constructor.newInstance(message);
            }
        } catch (ReflectiveOperationException | LinkageError ignored) {
            // not on the classpath (or no message constructor): define a class of that name
        }
        try {
            return (Throwable) define(name).getConstructor(String.class).newInstance(message);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Exception(name + (message == null ? "" : ": " + message));
        }
    }

    private static Class<?> define(String name) {
        return DEFINED.computeIfAbsent(name, n -> {
            int dot = n.lastIndexOf('.');
            String simple = n.substring(dot + 1);
            String source = (dot > 0 ? "package " + n.substring(0, dot) + "\n" : "")
                    + "class " + simple + " extends Exception {\n"
                    + "    " + simple + "(String message) { super(message) }\n}\n";
            synchronized (LOADER) {
                return LOADER.parseClass(source, simple + ".groovy");
            }
        });
    }

    private static String str(Object value, String fallback) {
        return value == null ? fallback : value.toString();
    }

    private static int integer(Object value, int fallback) {
        if (value instanceof Number) {
            return ((Number) value).intValue();
        }
        try {
            return value == null ? fallback : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
