package s4amz.scripthost;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;

/**
 * Replaces {@code System.out} so that what a script prints is captured for its own call (and never
 * corrupts the protocol stream). Output from threads outside a call goes to stderr.
 */
final class ThreadOutput extends OutputStream {
    private static final ThreadLocal<ByteArrayOutputStream> CAPTURE = new ThreadLocal<>();
    private static PrintStream stderr;

    private ThreadOutput() {
    }

    static void install() throws UnsupportedEncodingException {
        stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, "UTF-8");
        System.setOut(new PrintStream(new ThreadOutput(), true, "UTF-8"));
    }

    static PrintStream stderr() {
        return stderr;
    }

    static void begin() {
        CAPTURE.set(new ByteArrayOutputStream());
    }

    static String end() {
        ByteArrayOutputStream buffer = CAPTURE.get();
        CAPTURE.remove();
        return buffer == null ? "" : new String(buffer.toByteArray(), StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        ByteArrayOutputStream buffer = CAPTURE.get();
        if (buffer != null) {
            buffer.write(b);
        } else {
            stderr.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ByteArrayOutputStream buffer = CAPTURE.get();
        if (buffer != null) {
            buffer.write(b, off, len);
        } else {
            stderr.write(b, off, len);
        }
    }
}
