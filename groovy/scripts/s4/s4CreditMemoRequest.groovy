/*
 * Canonical refund JSON -> A_CreditMemoRequest deep insert (API_CREDIT_MEMO_REQUEST_SRV) with
 * reference to the billing document (or sales order) being refunded, as SAP's accelerator does.
 * Body: {"refundId", "bwpOrderId"?, "referenceDocument", "reason"?, "items":
 *   [{"referenceItem", "quantity", "unit"}]}
 * Properties: CreditMemoRequestType (CR), RefundTextId (0001), TextLanguage (EN).
 * The refund reason (SDDocumentReason) comes from "reason", or from the value mapping
 * BuyWithPrime / RefundRequestReason / <reason> <-> S4HANA / SDDocumentReason.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def refund = new JsonSlurper().parse(message.getBody(Reader))
    if (!(refund instanceof Map)) {
        throw new IllegalArgumentException('s4CreditMemoRequest: body must be a canonical refund JSON object')
    }
    def reference = required(refund, 'referenceDocument', 'referenceDocument')
    if (!(refund.items instanceof List) || refund.items.isEmpty()) {
        throw new IllegalArgumentException('s4CreditMemoRequest: items must hold at least one refunded line')
    }
    def items = refund.items.withIndex().collect { item, i ->
        def path = "items[${i}]"
        def quantity
        try {
            quantity = new BigDecimal(required(item, 'quantity', path)).setScale(3).toPlainString()
        } catch (NumberFormatException ignored) {
            throw new IllegalArgumentException("s4CreditMemoRequest: ${path}.quantity is not an Edm.Decimal: '${item.quantity}'")
        }
        [ReferenceSDDocument    : reference,
         ReferenceSDDocumentItem: required(item, 'referenceItem', path),
         RequestedQuantity      : quantity,
         RequestedQuantityUnit  : required(item, 'unit', path)]
    }
    def body = [
        CreditMemoRequestType: (message.getProperty('CreditMemoRequestType') ?: 'CR').toString(),
        ReferenceSDDocument  : reference,
        to_Item              : [results: items],
        to_Text              : [results: [[Language  : (message.getProperty('TextLanguage') ?: 'EN').toString(),
                                           LongTextID: (message.getProperty('RefundTextId') ?: '0001').toString(),
                                           LongText  : required(refund, 'refundId', 'refundId')]]],
    ]
    def reason = refund.reason?.toString()
    if (reason && !(reason ==~ /[A-Z0-9]{1,3}/)) {
        reason = ITApiFactory.getService(ValueMappingApi, null)
            .getMappedValue('BuyWithPrime', 'RefundRequestReason', reason, 'S4HANA', 'SDDocumentReason')
        message.setProperty('RefundReasonMapped', String.valueOf(reason != null))
    }
    if (reason) {
        body.SDDocumentReason = reason
    }
    message.setProperty('S4ResourcePath', 'A_CreditMemoRequest')
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(body))
    return message
}

String required(Map map, String field, String path) {
    def value = map[field]
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4CreditMemoRequest: ${path == field ? field : path + '.' + field} is required")
    }
    return value.toString()
}
