package s4amz.cpi.runtime;

import com.sap.it.api.msglog.MessageLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records MPL attachments, typed properties and custom header properties in call order. */
public final class RecordingMessageLog implements MessageLog {
    /** One MPL attachment. */
    public static final class Attachment {
        public final String name;
        public final String text;
        public final String mediaType;

        Attachment(String name, String text, String mediaType) {
            this.name = name;
            this.text = text;
            this.mediaType = mediaType;
        }
    }

    private final List<Attachment> attachments = Collections.synchronizedList(new ArrayList<Attachment>());
    private final Map<String, Object> properties = Collections.synchronizedMap(new LinkedHashMap<String, Object>());
    private final Map<String, String> propertyTypes = Collections.synchronizedMap(new LinkedHashMap<String, String>());
    private final List<String[]> customHeaders = Collections.synchronizedList(new ArrayList<String[]>());

    @Override
    public void addAttachmentAsString(String name, String text, String mediaType) {
        // SAP: a media type of "null" means text/plain
        String type = mediaType == null || "null".equals(mediaType) ? "text/plain" : mediaType;
        attachments.add(new Attachment(name, text, type));
    }

    private void put(String name, Object value, String type) {
        properties.put(name, value);
        propertyTypes.put(name, type);
    }

    @Override
    public void setStringProperty(String name, String value) {
        put(name, value, "String");
    }

    @Override
    public void setIntegerProperty(String name, Integer value) {
        put(name, value, "Integer");
    }

    @Override
    public void setLongProperty(String name, Long value) {
        put(name, value, "Long");
    }

    @Override
    public void setBooleanProperty(String name, Boolean value) {
        put(name, value, "Boolean");
    }

    @Override
    public void setFloatProperty(String name, Float value) {
        put(name, value, "Float");
    }

    @Override
    public void setDoubleProperty(String name, Double value) {
        put(name, value, "Double");
    }

    @Override
    public void setDateProperty(String name, Date value) {
        put(name, value, "Date");
    }

    @Override
    public void addCustomHeaderProperty(String name, String value) {
        customHeaders.add(new String[] {name, value});
    }

    public List<Attachment> attachments() {
        return attachments;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public Map<String, String> propertyTypes() {
        return propertyTypes;
    }

    public List<String[]> customHeaders() {
        return customHeaders;
    }
}
