/*
 * Outbound delivery header texts (A_OutbDeliveryHeaderText, API_OUTBOUND_DELIVERY_SRV;v=0002). S/4 has
 * no tracking number field on the delivery; SAP's accelerator keeps the Amazon package data in header
 * texts (TX03 package delivery id, TX04 summary, TX12 tracking number and URL).
 *
 * processData: a JSON create body for TX04 (TextElement) from the text parts BwpOrderId, PackageId,
 *   CarrierCode, TrackingNumber, PackageState (at least one); DeliveryDocument required,
 *   TextLanguage (EN).
 * readTexts: body = the delivery's texts (A_OutbDeliveryHeader('<n>')/to_DeliveryDocumentText JSON)
 *   -> property DeliveryTexts, a JSON object TextElement -> text for TextLanguage.
 * upsert: one text as the OData receiver's XML: DeliveryDocument, TextElement, TextLanguage,
 *   TextContent, DeliveryTexts -> S4TextOperation CREATE (not there yet), UPDATE (different) or SKIP
 *   (the same text, or no TextElement/TextContent configured), the body for CREATE
 *   (DeliveryDocument, TextElement, Language, TextElementText) or UPDATE (TextElementText).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.xml.MarkupBuilder

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

def Message readTexts(Message message) {
    def parsed
    try {
        parsed = new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("s4DeliveryTextRequest.readTexts: the body is not OData JSON: ${e.message}")
    }
    def d = parsed instanceof Map ? parsed.d : null
    def rows = d instanceof Map ? d.results : d
    if (!(rows instanceof List)) {
        throw new IllegalArgumentException('s4DeliveryTextRequest.readTexts: the body must be an OData collection of delivery texts')
    }
    def language = (message.getProperty('TextLanguage') ?: 'EN').toString()
    def texts = [:]
    rows.findAll { it instanceof Map && it.TextElement && (it.Language ?: language).toString() == language }.each {
        texts[it.TextElement.toString()] = (it.TextElementText ?: '').toString()
    }
    message.setProperty('DeliveryTexts', JsonOutput.toJson(texts))
    return message
}

def Message upsert(Message message) {
    def element = message.getProperty('TextElement')?.toString()?.trim()
    def content = message.getProperty('TextContent')?.toString()
    if (!element || content == null || content.trim().isEmpty()) {
        message.setProperty('S4TextOperation', 'SKIP')
        message.setProperty('S4TextInfo', "text ${element ?: '(no text ID)'}: nothing to write".toString())
        return message
    }
    if (!(element ==~ /[A-Za-z0-9]{1,4}/)) {
        throw new IllegalArgumentException("s4DeliveryTextRequest.upsert: TextElement must be a text ID of up to 4 letters or digits, got '${element}'")
    }
    def delivery = message.getProperty('DeliveryDocument')?.toString()?.trim()
    if (!delivery) {
        throw new IllegalArgumentException('s4DeliveryTextRequest.upsert: property DeliveryDocument is required')
    }
    def language = (message.getProperty('TextLanguage') ?: 'EN').toString()
    def existing = [:]
    def raw = message.getProperty('DeliveryTexts')
    if (raw) {
        try {
            existing = new JsonSlurper().parseText(raw.toString())
        } catch (Exception e) {
            throw new IllegalArgumentException("s4DeliveryTextRequest.upsert: property DeliveryTexts is not a JSON object: ${e.message}")
        }
    }
    def current = existing instanceof Map ? existing[element] : null
    def operation = current == null ? 'CREATE' : (normalize(current.toString()) == normalize(content) ? 'SKIP' : 'UPDATE')
    message.setProperty('S4TextOperation', operation)
    message.setProperty('S4TextInfo', "text ${element} of ${delivery}: ${operation.toLowerCase()}".toString())
    if (operation == 'SKIP') {
        return message
    }
    def writer = new StringWriter()
    def xml = new MarkupBuilder(writer)
    xml.A_OutbDeliveryHeaderText {
        A_OutbDeliveryHeaderTextType {
            if (operation == 'CREATE') {
                DeliveryDocument(delivery)
                TextElement(element)
                Language(language)
            }
            TextElementText(content)
        }
    }
    message.setHeader('Content-Type', 'application/xml')
    message.setBody(writer.toString())
    return message
}

/** Line breaks as S/4 may store them (CR LF or LF) compare equal. */
String normalize(String text) {
    return text.replace('\r\n', '\n').trim()
}
