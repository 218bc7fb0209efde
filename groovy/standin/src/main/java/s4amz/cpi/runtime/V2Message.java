package s4amz.cpi.runtime;

import com.sap.it.script.v2.api.Message;

/** The message handed to a Script step 2.x ({@code com.sap.it.script.v2.api.Message}). */
public final class V2Message extends MessageSupport implements Message {
    public V2Message(MessageLogContext logContext) {
        super(logContext);
    }
}
