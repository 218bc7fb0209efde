/*
 * The merchant cancel of a Buy with Prime order, in three functions:
 *
 * checkEligibility  after the order query (property BwpOrder): may the order still be cancelled?
 *   CancelEligibility = ELIGIBLE (no package has left, no cancellation pending or done) |
 *   SHIPPED (a package is IN_TRANSIT or DELIVERED: Amazon would reject it) | PENDING | CANCELLED;
 *   CancellationId for PENDING and CANCELLED.
 * readCancellation  after cancelOrder (BwpCancellationId, BwpCancellationState from bwpReadResponse).
 * readOutcome       after the order query of a pending cancellation (BwpOrder, CancellationId):
 *   CancellationState = the state Amazon has now; CancellationDecided "true" once SUCCESS or
 *   REJECTED.
 *
 * Each sets CancelStatusText ("PENDING CN-...", "SUCCESS CN-...", "REJECTED CN-...",
 * "REJECTED shipped: package PKG-... is IN_TRANSIT") and TextTargets (for s4SalesOrderTextPlan:
 * the header text CancelStatusTextId, default Z002), and the body to the pending-cancellation
 * record the outcome poll reads: <PendingCancellation><SalesOrder/><OrderId/><CancellationId/>
 * </PendingCancellation>. Properties: SalesOrder, BwpOrderId (required).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.xml.MarkupBuilder

def Message checkEligibility(Message message) {
    def order = bwpOrder(message)
    def cancellations = (order.cancellations?.details ?: []).findAll { it instanceof Map }
    def done = cancellations.find { it.state == 'SUCCESS' }
    def pending = cancellations.find { it.state == 'PENDING' }
    def shipped = (order.packageInformation?.details ?: []).find { it instanceof Map && it.state in ['IN_TRANSIT', 'DELIVERED'] }
    if (done) {
        finish(message, 'CANCELLED', done.id, "SUCCESS ${done.id}")
    } else if (pending) {
        finish(message, 'PENDING', pending.id, "PENDING ${pending.id}")
    } else if (shipped) {
        finish(message, 'SHIPPED', null, "REJECTED shipped: package ${shipped.id} is ${shipped.state}")
    } else {
        finish(message, 'ELIGIBLE', null, null)
    }
    return message
}

def Message readCancellation(Message message) {
    def id = required(message, 'BwpCancellationId')
    def state = required(message, 'BwpCancellationState')
    message.setProperty('CancellationState', state)
    finish(message, state, id, "${state} ${id}")
    return message
}

def Message readOutcome(Message message) {
    def order = bwpOrder(message)
    def id = required(message, 'CancellationId')
    def cancellation = (order.cancellations?.details ?: []).find { it instanceof Map && it.id == id }
    if (cancellation == null) {
        throw new IllegalArgumentException("fulfillmentCancellation: Amazon order ${order.id} has no cancellation ${id}")
    }
    def state = cancellation.state?.toString()
    message.setProperty('CancellationState', state)
    message.setProperty('CancellationDecided', String.valueOf(state in ['SUCCESS', 'REJECTED']))
    finish(message, state == 'PENDING' ? 'PENDING' : state, id, "${state} ${id}")
    return message
}

void finish(Message message, String eligibility, id, String statusText) {
    def salesOrder = required(message, 'SalesOrder')
    def orderId = required(message, 'BwpOrderId')
    message.setProperty('CancelEligibility', eligibility)
    message.setProperty('CancellationId', id?.toString())
    message.setProperty('CancelStatusText', statusText)
    def textId = (message.getProperty('CancelStatusTextId') ?: 'Z002').toString().trim()
    message.setProperty('TextTargets', statusText ? JsonOutput.toJson([[id: textId, text: statusText]]) : null)
    def out = new StringWriter()
    def xml = new MarkupBuilder(out)
    xml.PendingCancellation {
        SalesOrder(salesOrder)
        OrderId(orderId)
        CancellationId(id ?: '')
    }
    message.setHeader('Content-Type', 'application/xml')
    message.setBody(out.toString())
}

Map bwpOrder(Message message) {
    def order = new JsonSlurper().parseText(required(message, 'BwpOrder'))
    if (!(order instanceof Map) || !order.id) {
        throw new IllegalArgumentException('fulfillmentCancellation: property BwpOrder must hold a Buy with Prime order with an id')
    }
    return order
}

String required(Message message, String name) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("fulfillmentCancellation: property ${name} is required")
    }
    return value.toString().trim()
}
