/*
 * A_OutbDeliveryHeaderText create body carrying the Amazon package data (S/4 has no tracking
 * number field on the delivery; SAP's accelerator uses a header text, TX04).
 * Properties: DeliveryDocument (required), TextElement (TX04), TextLanguage (EN), and the text
 * parts BwpOrderId, PackageId, CarrierCode, TrackingNumber, PackageState (at least one).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput

def Message processData(Message message) {
    def delivery = message.getProperty('DeliveryDocument')?.toString()?.trim()
    if (!delivery) {
        throw new IllegalArgumentException('s4DeliveryTextRequest: property DeliveryDocument is required')
    }
    def labels = [BwpOrderId: 'Amazon order', PackageId: 'Package', CarrierCode: 'Carrier',
                  TrackingNumber: 'Tracking', PackageState: 'State']
    def parts = labels.findAll { name, label -> message.getProperty(name) }.collect { name, label ->
        "${label}: ${message.getProperty(name)}"
    }
    if (parts.isEmpty()) {
        throw new IllegalArgumentException("s4DeliveryTextRequest: none of ${labels.keySet().join(', ')} is set: nothing to write")
    }
    message.setProperty('S4ResourcePath', 'A_OutbDeliveryHeaderText')
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([
        DeliveryDocument: delivery,
        TextElement     : (message.getProperty('TextElement') ?: 'TX04').toString(),
        Language        : (message.getProperty('TextLanguage') ?: 'EN').toString(),
        TextElementText : parts.join('\n'),
    ]))
    return message
}
