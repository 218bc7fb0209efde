package s4amz.cpi.runtime;

import com.sap.it.api.msglog.MessageLog;
import com.sap.it.api.msglog.MessageLogFactory;

/** The {@code messageLogFactory} binding variable: finds the log of the message it is given. */
public final class StandInMessageLogFactory implements MessageLogFactory {
    @Override
    public MessageLog getMessageLog(Object context) {
        if (context instanceof MessageSupport) {
            return ((MessageSupport) context).logContext().messageLogOrNull();
        }
        throw new IllegalArgumentException("getMessageLog expects the script's message, got "
                + (context == null ? "null" : context.getClass().getName()));
    }
}
