package s4amz.scripthost.tools;

import groovy.json.JsonOutput;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilerConfiguration;

/**
 * Compiles scripts against a given script API (SAP's real jar or the stand-in) on the Groovy
 * runtime this JVM was started with, and prints a JSON report: {@code {"file": null | "error"}}.
 * Start it with a classpath that holds Groovy and this tool only, never the stand-in.
 *
 * <p>Usage: {@code CompileCheck <api-jar>[:<api-jar>...] <script.groovy> [...]}
 */
public final class CompileCheck {
    private CompileCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CompileCheck <api-jars, path-separated> <script.groovy> ...");
            System.exit(2);
        }
        List<URL> urls = new ArrayList<>();
        for (String jar : args[0].split(File.pathSeparator)) {
            if (!jar.isEmpty()) {
                urls.add(new File(jar).toURI().toURL());
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        try (URLClassLoader api = new URLClassLoader(urls.toArray(new URL[0]), CompileCheck.class.getClassLoader())) {
            for (int i = 1; i < args.length; i++) {
                File script = new File(args[i]);
                CompilerConfiguration config = new CompilerConfiguration();
                config.setSourceEncoding("UTF-8");
                try (GroovyClassLoader loader = new GroovyClassLoader(api, config)) {
                    String source = new String(Files.readAllBytes(script.toPath()), StandardCharsets.UTF_8);
                    loader.parseClass(new GroovyCodeSource(source, script.getName(), "/groovy/script"), false);
                    report.put(script.getPath(), null);
                } catch (Throwable t) {
                    report.put(script.getPath(), t.getClass().getName() + ": " + t.getMessage());
                }
            }
        }
        System.out.println(JsonOutput.toJson(report));
    }
}
