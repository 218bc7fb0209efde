package s4amz.cpi.runtime;

/** The log level of one message and the recorder of what its scripts write to the MPL. */
public final class MessageLogContext {
    private final String logLevel;
    private final RecordingMessageLog log;

    public MessageLogContext(String logLevel) {
        this.logLevel = logLevel == null ? "INFO" : logLevel.toUpperCase(java.util.Locale.ROOT);
        this.log = new RecordingMessageLog();
    }

    public String logLevel() {
        return logLevel;
    }

    /** The message log, or {@code null} at log level NONE (scripts must null-check it). */
    public RecordingMessageLog messageLogOrNull() {
        return "NONE".equals(logLevel) ? null : log;
    }

    public RecordingMessageLog recorder() {
        return log;
    }
}
