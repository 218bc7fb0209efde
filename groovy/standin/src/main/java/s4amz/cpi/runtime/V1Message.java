package s4amz.cpi.runtime;

import com.sap.gateway.ip.core.customdev.util.AttachmentWrapper;
import com.sap.gateway.ip.core.customdev.util.Message;
import com.sap.gateway.ip.core.customdev.util.SoapHeader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The message handed to a Script step 1.x ({@code com.sap.gateway.ip.core.customdev.util.Message}). */
public final class V1Message extends MessageSupport implements Message {
    private List<SoapHeader> soapHeaders = new ArrayList<>();

    public V1Message(MessageLogContext logContext) {
        super(logContext);
    }

    @Override
    public Map<String, AttachmentWrapper> getAttachmentWrapperObjects() {
        return attachmentStore;
    }

    @Override
    public void setAttachmentWrapperObjects(Map<String, AttachmentWrapper> attachments) {
        attachmentStore.clear();
        if (attachments != null) {
            attachmentStore.putAll(new LinkedHashMap<>(attachments));
        }
    }

    @Override
    public void addAttachmentObject(String id, AttachmentWrapper content) {
        attachmentStore.put(id, content);
    }

    @Override
    public void addAttachmentHeader(String headerName, String headerValue, AttachmentWrapper attachment) {
        attachment.addHeader(headerName, headerValue);
    }

    @Override
    public void setAttachmentHeader(String headerName, String headerValue, AttachmentWrapper attachment) {
        attachment.setHeader(headerName, headerValue);
    }

    @Override
    public String getAttachmentHeader(String headerName, AttachmentWrapper attachment) {
        return attachment.getHeader(headerName);
    }

    @Override
    public void removeAttachmentHeader(String headerName, AttachmentWrapper attachment) {
        attachment.removeHeader(headerName);
    }

    @Override
    public List<SoapHeader> getSoapHeaders() {
        return soapHeaders;
    }

    @Override
    public void setSoapHeaders(List<SoapHeader> headers) {
        soapHeaders = headers == null ? new ArrayList<SoapHeader>() : new ArrayList<>(headers);
    }

    @Override
    public void clearSoapHeaders() {
        soapHeaders.clear();
    }
}
