package s4amz.cpi.runtime;

import java.awt.datatransfer.DataFlavor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import javax.activation.ActivationDataFlavor;
import javax.activation.CommandMap;
import javax.activation.DataContentHandler;
import javax.activation.DataSource;
import javax.activation.MailcapCommandMap;
import javax.activation.MimeType;

/**
 * Lets {@code new DataHandler("text", "text/plain")} be read as a stream, as on a tenant (where
 * JavaMail registers such handlers). Installed once for the JVM by {@link #install()}.
 */
public final class TextDataContentHandler implements DataContentHandler {
    private static volatile boolean installed;

    /** Registers this handler for text/* in the default command map. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        MailcapCommandMap map = new MailcapCommandMap();
        String entry = ";; x-java-content-handler=" + TextDataContentHandler.class.getName();
        for (String type : new String[] {"text/plain", "text/xml", "text/csv", "text/html", "application/json", "application/xml"}) {
            map.addMailcap(type + entry);
        }
        CommandMap.setDefaultCommandMap(map);
        installed = true;
    }

    private static Charset charsetOf(String mimeType) {
        try {
            String name = new MimeType(mimeType).getParameter("charset");
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (Exception e) {
            return StandardCharsets.UTF_8;
        }
    }

    @Override
    public DataFlavor[] getTransferDataFlavors() {
        return new DataFlavor[] {new ActivationDataFlavor(String.class, "text/plain", "text")};
    }

    @Override
    public Object getTransferData(DataFlavor flavor, DataSource ds) throws IOException {
        return getContent(ds);
    }

    @Override
    public Object getContent(DataSource ds) throws IOException {
        try (InputStream in = ds.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return new String(out.toByteArray(), charsetOf(ds.getContentType()));
        }
    }

    @Override
    public void writeTo(Object obj, String mimeType, OutputStream os) throws IOException {
        if (obj instanceof byte[]) {
            os.write((byte[]) obj);
        } else {
            os.write(String.valueOf(obj).getBytes(charsetOf(mimeType)));
        }
        os.flush();
    }
}
