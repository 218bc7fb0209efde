package s4amz.cpi.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.activation.DataHandler;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import com.sap.gateway.ip.core.customdev.util.AttachmentWrapper;

/**
 * What a Cloud Integration message does, shared by the v1 and v2 stand-ins.
 *
 * <p>Semantics copied from Camel 3 (the tenant's engine): headers live in a case-insensitive map
 * that keeps the first spelling; exchange properties live in a concurrent map, and setting a
 * property to {@code null} removes it; {@code getBody(Class)} converts String, byte[],
 * InputStream, Reader, Document/Node and Object, using the charset named by the exchange property
 * (or header) {@code CamelCharsetName}, UTF-8 by default, and returns {@code null} when no
 * conversion exists. A streamed body is read once and then kept, as CPI's stream cache does.
 */
public abstract class MessageSupport {
    public static final String CHARSET_NAME = "CamelCharsetName";

    static {
        TextDataContentHandler.install();
    }

    private Object body;
    private Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private Map<String, Object> properties = new ConcurrentHashMap<>();
    protected final Map<String, AttachmentWrapper> attachmentStore = new LinkedHashMap<>();
    private final MessageLogContext logContext;

    protected MessageSupport(MessageLogContext logContext) {
        this.logContext = logContext;
    }

    /** The processing-log context of this message (used by the message log factory). */
    public MessageLogContext logContext() {
        return logContext;
    }

    // ---- body ----------------------------------------------------------------------------

    public Object getBody() {
        return body;
    }

    public void setBody(Object body) {
        this.body = body;
    }

    @SuppressWarnings("unchecked")
    public <T> T getBody(Class<T> type) {
        if (body == null || type == null) {
            return null;
        }
        if (type == Object.class) {
            return (T) body;
        }
        if (body instanceof InputStream || body instanceof Reader) {
            materialize();
        }
        if (type.isInstance(body)) {
            return (T) body;
        }
        if (type == String.class) {
            return (T) asString();
        }
        if (type == byte[].class) {
            return (T) asBytes();
        }
        if (type == InputStream.class) {
            return (T) new ByteArrayInputStream(asBytes());
        }
        if (type == Reader.class) {
            if (body instanceof byte[]) {
                return (T) new InputStreamReader(new ByteArrayInputStream((byte[]) body), charset());
            }
            return (T) new StringReader(asString());
        }
        if (type == Document.class || type == Node.class) {
            return (T) parseXml();
        }
        return null;
    }

    public long getBodySize() {
        if (body == null) {
            return 0;
        }
        return asBytes().length;
    }

    /** The body as bytes in the message charset (what a receiver adapter would send). */
    public byte[] bodyBytes() {
        return body == null ? new byte[0] : asBytes();
    }

    /** The charset for conversions: {@code CamelCharsetName} property, then header, then UTF-8. */
    public Charset charset() {
        Object name = properties.get(CHARSET_NAME);
        if (name == null) {
            name = headers.get(CHARSET_NAME);
        }
        if (name == null || name.toString().trim().isEmpty()) {
            return StandardCharsets.UTF_8;
        }
        return Charset.forName(name.toString().trim());
    }

    private void materialize() {
        try {
            if (body instanceof InputStream) {
                body = readAll((InputStream) body);
            } else if (body instanceof Reader) {
                StringWriter out = new StringWriter();
                char[] buffer = new char[8192];
                Reader reader = (Reader) body;
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
                body = out.toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the message body stream", e);
        }
    }

    private byte[] asBytes() {
        materialize();
        if (body instanceof byte[]) {
            return (byte[]) body;
        }
        if (body instanceof Node) {
            return serializeXml((Node) body).getBytes(charset());
        }
        if (body instanceof Writer) {
            return body.toString().getBytes(charset());
        }
        return body.toString().getBytes(charset());
    }

    private String asString() {
        materialize();
        if (body instanceof byte[]) {
            return new String((byte[]) body, charset());
        }
        if (body instanceof Node) {
            return serializeXml((Node) body);
        }
        return body.toString();
    }

    private Document parseXml() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            if (body instanceof byte[]) {
                return builder.parse(new ByteArrayInputStream((byte[]) body));
            }
            return builder.parse(new InputSource(new StringReader(asString())));
        } catch (Exception e) {
            return null; // Camel's converters answer null when a conversion is impossible
        }
    }

    private static String serializeXml(Node node) {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialize the XML body", e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    // ---- headers -------------------------------------------------------------------------

    public Map<String, Object> getHeaders() {
        return headers;
    }

    @SuppressWarnings("unchecked")
    public <T> T getHeader(String name, Class<T> type) {
        Object value = headers.get(name);
        if (value == null || type == null || type == Object.class || type.isInstance(value)) {
            return (T) value;
        }
        if (type == String.class) {
            return (T) value.toString();
        }
        if (type == Integer.class) {
            return (T) Integer.valueOf(value.toString().trim());
        }
        if (type == Long.class) {
            return (T) Long.valueOf(value.toString().trim());
        }
        if (type == Boolean.class) {
            return (T) Boolean.valueOf(value.toString().trim());
        }
        return null;
    }

    public void setHeader(String name, Object value) {
        headers.put(name, value);
    }

    public void setHeaders(Map<String, Object> newHeaders) {
        Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (newHeaders != null) {
            copy.putAll(newHeaders);
        }
        headers = copy;
    }

    // ---- properties ----------------------------------------------------------------------

    public Map<String, Object> getProperties() {
        return properties;
    }

    public Object getProperty(String name) {
        return properties.get(name);
    }

    public void setProperty(String name, Object value) {
        if (value == null) {
            properties.remove(name);
        } else {
            properties.put(name, value);
        }
    }

    public void setProperties(Map<String, Object> newProperties) {
        Map<String, Object> copy = new ConcurrentHashMap<>();
        if (newProperties != null) {
            for (Map.Entry<String, Object> e : newProperties.entrySet()) {
                if (e.getValue() != null) {
                    copy.put(e.getKey(), e.getValue());
                }
            }
        }
        properties = copy;
    }

    // ---- attachments ---------------------------------------------------------------------

    /** A live view of the attachments as data handlers (Camel's attachment map). */
    public Map<String, DataHandler> getAttachments() {
        return new DataHandlerView();
    }

    public void setAttachments(Map<String, DataHandler> attachments) {
        attachmentStore.clear();
        if (attachments != null) {
            for (Map.Entry<String, DataHandler> e : attachments.entrySet()) {
                attachmentStore.put(e.getKey(), new AttachmentWrapper(e.getValue()));
            }
        }
    }

    public long getAttachmentsSize() {
        long size = 0;
        for (AttachmentWrapper wrapper : attachmentStore.values()) {
            try (InputStream in = wrapper.getDataHandler().getInputStream()) {
                size += readAll(in).length;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read an attachment", e);
            }
        }
        return size;
    }

    /** All attachments with their headers, in insertion order. */
    public Map<String, AttachmentWrapper> attachmentStore() {
        return attachmentStore;
    }

    private final class DataHandlerView extends AbstractMap<String, DataHandler> {
        @Override
        public Set<Map.Entry<String, DataHandler>> entrySet() {
            return new AbstractSet<Map.Entry<String, DataHandler>>() {
                @Override
                public Iterator<Map.Entry<String, DataHandler>> iterator() {
                    final Iterator<Map.Entry<String, AttachmentWrapper>> it = attachmentStore.entrySet().iterator();
                    return new Iterator<Map.Entry<String, DataHandler>>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Map.Entry<String, DataHandler> next() {
                            Map.Entry<String, AttachmentWrapper> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), e.getValue().getDataHandler());
                        }

                        @Override
                        public void remove() {
                            it.remove();
                        }
                    };
                }

                @Override
                public int size() {
                    return attachmentStore.size();
                }
            };
        }

        @Override
        public DataHandler put(String key, DataHandler value) {
            AttachmentWrapper old = attachmentStore.put(key, new AttachmentWrapper(value));
            return old == null ? null : old.getDataHandler();
        }

        @Override
        public DataHandler remove(Object key) {
            AttachmentWrapper old = attachmentStore.remove(key);
            return old == null ? null : old.getDataHandler();
        }
    }
}
