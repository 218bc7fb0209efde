package com.sap.it.api.msglog;

/** Injected into every script as the binding variable {@code messageLogFactory}. */
public interface MessageLogFactory {
    /** The processing log of the given message, or {@code null} when logging is switched off. */
    MessageLog getMessageLog(Object context);
}
