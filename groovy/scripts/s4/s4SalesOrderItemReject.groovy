/*
 * Rejects sales order items after a Buy with Prime cancellation: PATCH body for
 * A_SalesOrderItem(SalesOrder='..',SalesOrderItem='..') with SalesDocumentRjcnReason.
 * The BwP reason is mapped through the value mapping
 *   BuyWithPrime / CancellationReason / <reason>  <->  S4HANA / SalesDocumentRjcnReason / <Zx>;
 * without a mapping the property DefaultRejectionReason is used, else the call fails naming it.
 * Properties: SalesOrder, SalesOrderItem (required), BwpCancelReason or RejectionReason.
 * Sets S4ResourcePath (the entity key path, quotes doubled as OData literals require).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
import groovy.json.JsonOutput

def Message processData(Message message) {
    def salesOrder = required(message, 'SalesOrder')
    def item = required(message, 'SalesOrderItem')
    def reason = message.getProperty('RejectionReason')?.toString()
    if (!reason) {
        def bwpReason = message.getProperty('BwpCancelReason')?.toString()
        if (bwpReason) {
            reason = ITApiFactory.getService(ValueMappingApi, null)
                .getMappedValue('BuyWithPrime', 'CancellationReason', bwpReason, 'S4HANA', 'SalesDocumentRjcnReason')
        }
        reason = reason ?: message.getProperty('DefaultRejectionReason')?.toString()
    }
    if (!reason) {
        throw new IllegalArgumentException('s4SalesOrderItemReject: no rejection reason: set RejectionReason, map BwpCancelReason, or set DefaultRejectionReason')
    }
    if (reason.length() > 2) {
        throw new IllegalArgumentException("s4SalesOrderItemReject: SalesDocumentRjcnReason has at most 2 characters, got '${reason}'")
    }
    message.setProperty('S4ResourcePath', "A_SalesOrderItem(SalesOrder='${literal(salesOrder)}',SalesOrderItem='${literal(item)}')".toString())
    message.setProperty('RejectionReason', reason)
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([SalesDocumentRjcnReason: reason]))
    return message
}

String literal(String value) {
    return URLEncoder.encode(value.replace("'", "''"), 'UTF-8')
}

String required(Message message, String name) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4SalesOrderItemReject: property ${name} is required")
    }
    return value.toString().trim()
}
