package s4amz.scripthost;

import com.sap.gateway.ip.core.customdev.util.AttachmentWrapper;
import groovy.lang.Script;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.activation.DataHandler;
import javax.activation.DataSource;
import s4amz.cpi.runtime.ApiRegistry;
import s4amz.cpi.runtime.CallServices;
import s4amz.cpi.runtime.InMemorySecureStore;
import s4amz.cpi.runtime.MessageLogContext;
import s4amz.cpi.runtime.MessageSupport;
import s4amz.cpi.runtime.RecordingMessageLog;
import s4amz.cpi.runtime.V1Message;
import s4amz.cpi.runtime.V2Message;
import s4amz.cpi.runtime.ValueMappingStore;

/** One {@code run} request: build the message, call the script function, describe the outcome. */
final class ScriptCall {
    private final ScriptCache cache;
    private final Map<String, Object> request;

    ScriptCall(ScriptCache cache, Map<String, Object> request) {
        this.cache = cache;
        this.request = request;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> execute() {
        Map<String, Object> script = (Map<String, Object>) request.get("script");
        String name = String.valueOf(script.get("name"));
        String function = str(request.get("function"), "processData");
        boolean fresh = "fresh".equals(request.get("binding"));
        Map<String, Object> response = new LinkedHashMap<>();
        long allocatedBefore = Stats.allocatedBytes();

        boolean[] compiledNow = {false};
        ScriptCache.Loaded loaded;
        try {
            loaded = cache.get(name, String.valueOf(script.get("hash")), String.valueOf(script.get("source")), compiledNow);
        } catch (Throwable t) {
            response.put("ok", false);
            response.put("phase", "compile");
            response.put("exception", Failures.describe(t, name));
            return response;
        }

        MessageLogContext logContext = new MessageLogContext(str(request.get("logLevel"), "INFO"));
        MessageSupport message = "v2".equals(request.get("api")) ? new V2Message(logContext) : new V1Message(logContext);
        Map<String, Object> in = (Map<String, Object>) request.get("message");
        fill(message, in == null ? new LinkedHashMap<String, Object>() : in);

        Script instance = fresh ? loaded.freshInstance() : loaded.shared;
        ApiRegistry.bind(services());
        ThreadOutput.begin();
        Object returned = null;
        Map<String, Object> failure = null;
        long start = System.nanoTime();
        try {
            returned = instance.invokeMethod(function, new Object[] {message});
        } catch (Throwable t) {
            failure = Failures.describe(unwrap(t), name);
        } finally {
            ApiRegistry.unbind();
        }
        long runNanos = System.nanoTime() - start;
        String stdout = ThreadOutput.end();

        MessageSupport result = returned instanceof MessageSupport ? (MessageSupport) returned : message;
        response.put("ok", failure == null);
        response.put("phase", "run");
        if (failure != null) {
            response.put("exception", failure);
        }
        try {
            describe(result, response);
        } catch (RuntimeException e) {
            if (failure == null) {
                response.put("ok", false);
                response.put("exception", Failures.describe(e, name));
            }
        }
        response.put("returnedMessage", returned instanceof MessageSupport);
        describeLog(logContext.recorder(), response);
        response.put("bindingVariables", new ArrayList<Object>(instance.getBinding().getVariables().keySet()));
        response.put("stdout", stdout);
        response.put("compiled", compiledNow[0]);
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("compileMs", compiledNow[0] ? loaded.compileNanos / 1e6 : 0.0);
        timing.put("runMs", runNanos / 1e6);
        long allocatedAfter = Stats.allocatedBytes();
        timing.put("allocatedBytes", allocatedBefore < 0 ? -1 : allocatedAfter - allocatedBefore);
        response.put("timing", timing);
        return response;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof InvocationTargetException
                || current.getClass().getName().equals("org.codehaus.groovy.runtime.InvokerInvocationException"))
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private void fill(MessageSupport message, Map<String, Object> in) {
        Map<String, Object> properties = (Map<String, Object>) in.get("properties");
        if (properties != null) {
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                message.setProperty(e.getKey(), e.getValue());
            }
        }
        Map<String, Object> headers = (Map<String, Object>) in.get("headers");
        if (headers != null) {
            for (Map.Entry<String, Object> e : headers.entrySet()) {
                message.setHeader(e.getKey(), e.getValue());
            }
        }
        // exceptions the runtime caught (CamelExceptionCaught) arrive as Java exception objects
        Map<String, Object> exceptionProperties = (Map<String, Object>) in.get("exceptionProperties");
        if (exceptionProperties != null) {
            for (Map.Entry<String, Object> e : exceptionProperties.entrySet()) {
                message.setProperty(e.getKey(), CaughtExceptions.rebuild((Map<String, Object>) e.getValue()));
            }
        }
        Map<String, Object> exceptionHeaders = (Map<String, Object>) in.get("exceptionHeaders");
        if (exceptionHeaders != null) {
            for (Map.Entry<String, Object> e : exceptionHeaders.entrySet()) {
                message.setHeader(e.getKey(), CaughtExceptions.rebuild((Map<String, Object>) e.getValue()));
            }
        }
        Object body64 = in.get("body64");
        String bodyType = str(in.get("bodyType"), "stream");
        if (body64 == null || "null".equals(bodyType)) {
            message.setBody(null);
        } else {
            byte[] bytes = Base64.getDecoder().decode(body64.toString());
            if ("string".equals(bodyType)) {
                message.setBody(new String(bytes, StandardCharsets.UTF_8));
            } else if ("bytes".equals(bodyType)) {
                message.setBody(bytes);
            } else {
                message.setBody(new ByteArrayInputStream(bytes));
            }
        }
        Map<String, Object> attachments = (Map<String, Object>) in.get("attachments");
        if (attachments != null) {
            for (Map.Entry<String, Object> e : attachments.entrySet()) {
                Map<String, Object> a = (Map<String, Object>) e.getValue();
                byte[] data = Base64.getDecoder().decode(str(a.get("data64"), ""));
                AttachmentWrapper wrapper = new AttachmentWrapper(new BytesDataSource(e.getKey(),
                        str(a.get("contentType"), "application/octet-stream"), data));
                Map<String, Object> attachmentHeaders = (Map<String, Object>) a.get("headers");
                if (attachmentHeaders != null) {
                    for (Map.Entry<String, Object> h : attachmentHeaders.entrySet()) {
                        wrapper.setHeader(h.getKey(), String.valueOf(h.getValue()));
                    }
                }
                message.attachmentStore().put(e.getKey(), wrapper);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private CallServices services() {
        ValueMappingStore mappings = new ValueMappingStore();
        Object vm = request.get("valueMappings");
        if (vm instanceof Collection) {
            for (Object o : (Collection<?>) vm) {
                Map<String, Object> m = (Map<String, Object>) o;
                mappings.add(new ValueMappingStore.Entry(str(m.get("sourceAgency"), null), str(m.get("sourceIdentifier"), null),
                        str(m.get("sourceValue"), null), str(m.get("targetAgency"), null),
                        str(m.get("targetIdentifier"), null), str(m.get("targetValue"), null)));
            }
        }
        InMemorySecureStore store = new InMemorySecureStore();
        Object creds = request.get("credentials");
        if (creds instanceof Map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) creds).entrySet()) {
                Map<String, Object> c = (Map<String, Object>) e.getValue();
                if ("oauth2_authorization_code".equals(c.get("kind"))) {
                    store.addAuthorizationCodeToken(e.getKey(), str(c.get("accessToken"), null), str(c.get("user"), null));
                } else {
                    Map<String, String> props = new LinkedHashMap<>();
                    Object p = c.get("properties");
                    if (p instanceof Map) {
                        for (Map.Entry<String, Object> pe : ((Map<String, Object>) p).entrySet()) {
                            props.put(pe.getKey(), String.valueOf(pe.getValue()));
                        }
                    }
                    store.addUserCredential(e.getKey(), str(c.get("username"), null), str(c.get("password"), null), props);
                }
            }
        }
        return new CallServices(mappings, store);
    }

    private static void describe(MessageSupport message, Map<String, Object> out) {
        Object body = message.getBody();
        out.put("bodyType", body == null ? null : body.getClass().getName());
        out.put("body64", Base64.getEncoder().encodeToString(message.bodyBytes()));
        out.put("charset", message.charset().name());
        Map<String, Object> headerTypes = new LinkedHashMap<>();
        out.put("headers", Values.toJsonMap(message.getHeaders(), headerTypes));
        out.put("headerTypes", headerTypes);
        Map<String, Object> propertyTypes = new LinkedHashMap<>();
        out.put("properties", Values.toJsonMap(message.getProperties(), propertyTypes));
        out.put("propertyTypes", propertyTypes);
        Map<String, Object> attachments = new LinkedHashMap<>();
        for (Map.Entry<String, AttachmentWrapper> e : message.attachmentStore().entrySet()) {
            Map<String, Object> a = new LinkedHashMap<>();
            DataHandler handler = e.getValue().getDataHandler();
            a.put("contentType", handler.getContentType());
            a.put("data64", Base64.getEncoder().encodeToString(read(handler)));
            Map<String, Object> headers = new LinkedHashMap<>();
            for (String h : e.getValue().getHeaderNames()) {
                headers.put(h, e.getValue().getHeader(h));
            }
            a.put("headers", headers);
            attachments.put(e.getKey(), a);
        }
        out.put("attachments", attachments);
    }

    private static void describeLog(RecordingMessageLog log, Map<String, Object> out) {
        Map<String, Object> mpl = new LinkedHashMap<>();
        List<Object> attachments = new ArrayList<>();
        synchronized (log.attachments()) {
            for (RecordingMessageLog.Attachment a : log.attachments()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", a.name);
                item.put("mediaType", a.mediaType);
                item.put("text", a.text);
                attachments.add(item);
            }
        }
        mpl.put("attachments", attachments);
        Map<String, Object> ignoredTypes = new LinkedHashMap<>();
        mpl.put("properties", Values.toJsonMap(log.properties(), ignoredTypes));
        mpl.put("propertyTypes", new LinkedHashMap<String, Object>(log.propertyTypes()));
        List<Object> custom = new ArrayList<>();
        synchronized (log.customHeaders()) {
            for (String[] pair : log.customHeaders()) {
                List<Object> p = new ArrayList<>();
                p.add(pair[0]);
                p.add(pair[1]);
                custom.add(p);
            }
        }
        mpl.put("customHeaders", custom);
        out.put("mpl", mpl);
    }

    private static byte[] read(DataHandler handler) {
        try (InputStream in = handler.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read attachment", e);
        }
    }

    private static String str(Object value, String fallback) {
        return value == null ? fallback : value.toString();
    }

    /** An in-memory attachment. */
    static final class BytesDataSource implements DataSource {
        private final String name;
        private final String contentType;
        private final byte[] data;

        BytesDataSource(String name, String contentType, byte[] data) {
            this.name = name;
            this.contentType = contentType;
            this.data = data;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(data);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read-only attachment");
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
