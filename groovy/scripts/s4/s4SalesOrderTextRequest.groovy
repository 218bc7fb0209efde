/*
 * A_SalesOrderText create body: writes the Amazon / Buy with Prime order id back into the sales
 * order's header text (as SAP's accelerator does with text ID 0001 / EN).
 * Properties: SalesOrder (required), BwpOrderId or AmazonOrderId (the text, required),
 * LongTextID (0001), TextLanguage (EN). Sets S4ResourcePath = A_SalesOrderText.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput

def Message processData(Message message) {
    def salesOrder = required(message, 'SalesOrder')
    def text = message.getProperty('BwpOrderId') ?: message.getProperty('AmazonOrderId')
    if (!text) {
        throw new IllegalArgumentException('s4SalesOrderTextRequest: property BwpOrderId or AmazonOrderId is required (the text to write)')
    }
    def textId = (message.getProperty('LongTextID') ?: '0001').toString()
    if (textId.length() > 4) {
        throw new IllegalArgumentException("s4SalesOrderTextRequest: property LongTextID must have at most 4 characters, got '${textId}'")
    }
    message.setProperty('S4ResourcePath', 'A_SalesOrderText')
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([
        SalesOrder: salesOrder,
        Language  : (message.getProperty('TextLanguage') ?: 'EN').toString(),
        LongTextID: textId,
        LongText  : text.toString(),
    ]))
    return message
}

String required(Message message, String name) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4SalesOrderTextRequest: property ${name} is required")
    }
    return value.toString().trim()
}
