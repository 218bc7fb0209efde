package s4amz.scripthost;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The script host: a long-lived JVM that runs Cloud Integration scripts for the Python harness.
 *
 * <p>Protocol: one JSON object per line. Requests on stdin carry an {@code id} and an {@code op}
 * ({@code run}, {@code ping}, {@code stats}, {@code evict}, {@code shutdown}); each gets exactly
 * one response line with the same {@code id} on stdout. Calls run on a small worker pool, so
 * responses may come back out of order. The first line the host writes is
 * {@code {"event":"ready",...}}. Scripts' own {@code System.out} output never reaches the protocol
 * stream: it is captured per call and returned as {@code stdout}. If a script ends the JVM with
 * {@code System.exit}, a shutdown hook writes {@code {"event":"exit",...}} naming the calls that
 * were running.
 */
public final class Main {
    private static final Map<Long, String> IN_FLIGHT = new ConcurrentHashMap<>();
    private static volatile boolean orderlyExit;
    private static Writer protocol;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int workers = Integer.getInteger("s4amz.workers", 4);
        protocol = new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8);
        ThreadOutput.install();
        Runtime.getRuntime().addShutdownHook(new Thread(Main::onShutdown, "s4amz-exit-report"));

        ScriptCache cache = new ScriptCache();
        ExecutorService pool = Executors.newFixedThreadPool(workers, new WorkerFactory());

        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("event", "ready");
        ready.put("groovy", groovy.lang.GroovySystem.getVersion());
        ready.put("java", System.getProperty("java.version"));
        ready.put("workers", workers);
        send(ready);

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().isEmpty()) {
                continue;
            }
            final Map<String, Object> request;
            try {
                request = Json.parseObject(line);
            } catch (RuntimeException e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("event", "protocol-error");
                error.put("message", "request is not a JSON object: " + e.getMessage());
                send(error);
                continue;
            }
            final long id = ((Number) request.getOrDefault("id", -1)).longValue();
            String op = String.valueOf(request.get("op"));
            if ("shutdown".equals(op)) {
                break;
            }
            switch (op) {
                case "run":
                    pool.submit(() -> {
                        Object script = request.get("script");
                        String name = script instanceof Map ? String.valueOf(((Map<?, ?>) script).get("name")) : "?";
                        IN_FLIGHT.put(id, name);
                        try {
                            Map<String, Object> response = new ScriptCall(cache, request).execute();
                            response.put("id", id);
                            send(response);
                        } catch (Throwable t) {
                            send(internalError(id, t));
                        } finally {
                            IN_FLIGHT.remove(id);
                        }
                    });
                    break;
                case "ping":
                    Map<String, Object> pong = new LinkedHashMap<>();
                    pong.put("id", id);
                    pong.put("ok", true);
                    send(pong);
                    break;
                case "stats":
                    Map<String, Object> stats = Stats.snapshot(Boolean.TRUE.equals(request.get("gc")),
                            Boolean.TRUE.equals(request.get("resetPeak")));
                    stats.put("id", id);
                    stats.put("cachedScripts", cache.size());
                    send(stats);
                    break;
                case "evict":
                    cache.clear();
                    Map<String, Object> evicted = new LinkedHashMap<>();
                    evicted.put("id", id);
                    evicted.put("ok", true);
                    send(evicted);
                    break;
                default:
                    Map<String, Object> unknown = new LinkedHashMap<>();
                    unknown.put("id", id);
                    unknown.put("error", "unknown op '" + op + "'");
                    send(unknown);
            }
        }
        orderlyExit = true;
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static Map<String, Object> internalError(long id, Throwable t) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("id", id);
        error.put("error", "script host failure: " + t);
        return error;
    }

    /** Writes one protocol line (thread-safe). */
    static void send(Map<String, Object> message) {
        String line = Json.write(message);
        synchronized (Main.class) {
            try {
                protocol.write(line);
                protocol.write('\n');
                protocol.flush();
            } catch (IOException e) {
                // the Python side is gone; nothing left to tell
            }
        }
    }

    private static void onShutdown() {
        if (orderlyExit) {
            return;
        }
        Map<String, Object> exit = new LinkedHashMap<>();
        exit.put("event", "exit");
        exit.put("reason", "the JVM is exiting while scripts run (System.exit or a fatal error)");
        exit.put("inFlight", new LinkedHashMap<Object, Object>(IN_FLIGHT));
        send(exit);
    }

    private static final class WorkerFactory implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "script-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    static PrintStream stderr() {
        return ThreadOutput.stderr();
    }
}
