/*
 * Canonical stock adjustment JSON -> A_MaterialDocumentHeader deep insert
 * (API_MATERIAL_DOCUMENT_SRV): goods movement code 05, movement type 561 for stock to add and 711
 * for stock to remove (SAP's accelerator's defaults), zero deltas skipped.
 * Body: {"plant", "storageLocation", "postingDate"?: "yyyy-MM-dd", "lines": [{"sku", "delta", "unit"}]}
 * Properties: GoodsMovementCode (05), ReceiptMovementType (561), IssueMovementType (711),
 * MaterialDocumentHeaderText (optional, at most 25 characters).
 * Sets MaterialDocumentLineCount; an adjustment with nothing to post sets it to 0 and an empty body.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

import java.text.SimpleDateFormat

def Message processData(Message message) {
    def adjustment = new JsonSlurper().parse(message.getBody(Reader))
    if (!(adjustment instanceof Map) || !(adjustment.lines instanceof List)) {
        throw new IllegalArgumentException('s4MaterialDocumentRequest: body must be a stock adjustment with a lines list')
    }
    def plant = required(adjustment, 'plant', 'plant')
    def location = required(adjustment, 'storageLocation', 'storageLocation')
    def receipt = (message.getProperty('ReceiptMovementType') ?: '561').toString()
    def issue = (message.getProperty('IssueMovementType') ?: '711').toString()
    def items = []
    adjustment.lines.eachWithIndex { line, i ->
        def path = "lines[${i}]"
        def delta
        try {
            delta = new BigDecimal(required(line, 'delta', path))
        } catch (NumberFormatException ignored) {
            throw new IllegalArgumentException("s4MaterialDocumentRequest: ${path}.delta is not an Edm.Decimal: '${line.delta}'")
        }
        if (delta.signum() != 0) {
            items << [Material           : required(line, 'sku', path),
                      Plant              : plant,
                      StorageLocation    : location,
                      GoodsMovementType  : delta.signum() > 0 ? receipt : issue,
                      QuantityInEntryUnit: delta.abs().setScale(3).toPlainString(),
                      EntryUnit          : required(line, 'unit', path)]
        }
    }
    message.setProperty('MaterialDocumentLineCount', items.size())
    message.setProperty('S4ResourcePath', 'A_MaterialDocumentHeader')
    if (items.isEmpty()) {
        message.setBody('')
        return message
    }
    def header = [
        GoodsMovementCode: (message.getProperty('GoodsMovementCode') ?: '05').toString(),
        PostingDate      : odataDate(adjustment.postingDate),
    ]
    def text = message.getProperty('MaterialDocumentHeaderText')
    if (text) {
        header.MaterialDocumentHeaderText = text.toString().take(25)
    }
    header.to_MaterialDocumentItem = [results: items]
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(header))
    return message
}

/** yyyy-MM-dd (today in UTC when absent) -> Edm.DateTime "/Date(ms)/". */
String odataDate(value) {
    def format = new SimpleDateFormat('yyyy-MM-dd')
    format.setTimeZone(TimeZone.getTimeZone('UTC'))
    format.setLenient(false)
    def day = value ? value.toString() : format.format(new Date())
    try {
        return "/Date(${format.parse(day).time})/"
    } catch (java.text.ParseException ignored) {
        throw new IllegalArgumentException("s4MaterialDocumentRequest: postingDate must be yyyy-MM-dd, got '${day}'")
    }
}

String required(Map map, String field, String path) {
    def value = map[field]
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4MaterialDocumentRequest: ${path == field ? field : path + '.' + field} is required")
    }
    return value.toString()
}
