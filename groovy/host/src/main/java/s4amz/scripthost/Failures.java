package s4amz.scripthost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Describes a script's exception: class, message, the script line, frames and causes. */
final class Failures {
    private static final int MAX_FRAMES = 40;

    private Failures() {
    }

    static Map<String, Object> describe(Throwable t, String scriptName) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class", t.getClass().getName());
        out.put("message", t.getMessage());
        Integer line = null;
        List<Object> scriptFrames = new ArrayList<>();
        for (Throwable cur = t; cur != null && line == null; cur = cur.getCause()) {
            for (StackTraceElement frame : cur.getStackTrace()) {
                if (scriptName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    if (line == null) {
                        line = frame.getLineNumber();
                    }
                    scriptFrames.add(frame.getMethodName() + ":" + frame.getLineNumber());
                }
            }
        }
        out.put("line", line);
        out.put("scriptFrames", scriptFrames);
        List<Object> stack = new ArrayList<>();
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length && i < MAX_FRAMES; i++) {
            stack.add(frames[i].toString());
        }
        out.put("stack", stack);
        List<Object> causes = new ArrayList<>();
        for (Throwable cause = t.getCause(); cause != null && cause != t && causes.size() < 10; cause = cause.getCause()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("class", cause.getClass().getName());
            c.put("message", cause.getMessage());
            causes.add(c);
        }
        out.put("causes", causes);
        return out;
    }
}
