/*
 * Decides what one S/4HANA sales order needs in Buy with Prime, from the order as S/4HANA has it
 * now (property CanonicalOrder, the canonical order JSON) and as Amazon has it (BwpOutcome of the
 * order query by alias: OK with the order in BwpOrder, or NOT_FOUND).
 *
 * FulfillmentAction (also the MPL custom status):
 *   CREATE      not in Amazon yet: body = the canonical order with the Amazon plant's open lines
 *   WRITE_BACK  in Amazon, but S/4HANA lacks its id (a crash after the create): body = the
 *               canonical order, header S4AMZ_BwpOrderId = the Amazon order id
 *   RELEASE     delivery block removed in S/4HANA, Amazon order NOT_STARTED: body
 *               {"salesOrder", "orderId"}
 *   CANCEL      every Amazon line rejected in S/4HANA and the cancellation status text
 *               (CancelStatusTextId, Z002) does not yet hold the final outcome: body
 *               {"salesOrder", "orderId", "rejectionReason"}; the cancel flow checks eligibility
 *               and is idempotent (a pending or done cancellation is recorded, not repeated)
 *   REVIEW      S/4HANA rejected some Amazon lines only (Buy with Prime cancels whole orders): a
 *               person decides; the caller parks the message with FulfillmentReason
 *   NONE        nothing to do (not relevant, already done, or waiting); FulfillmentReason says why
 * Also sets FulfillmentReason, BwpOrderId (when in Amazon), MPL custom headers, and the headers the
 * central flows read over ProcessDirect: S4AMZ_SalesOrder, S4AMZ_BwpOrderId (WRITE_BACK, RELEASE,
 * CANCEL), S4AMZ_RejectionReason (CANCEL).
 *
 * Relevance (properties): AmazonOrderTypes (comma separated; empty = any), AmazonPlant (lines of
 * other plants are not sent; empty = any), ControlTextId (when set, only orders with a non-empty
 * header text of that ID are relevant), AmazonOrderTextId (header text with the Amazon order id,
 * 0001), CancelStatusTextId (Z002), OrderAliasType (the alias type of the order and its lines,
 * EXTERNAL_ID).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def order = json(message, 'CanonicalOrder')
    if (!(order instanceof Map) || !order.orderId || !(order.items instanceof List)) {
        throw new IllegalArgumentException('fulfillmentDecision: property CanonicalOrder must hold a canonical order with orderId and items')
    }
    def outcome = prop(message, 'BwpOutcome')
    if (!(outcome in ['OK', 'NOT_FOUND'])) {
        throw new IllegalArgumentException("fulfillmentDecision: BwpOutcome must be OK or NOT_FOUND (the order query's outcome), got ${outcome}")
    }
    def amazon = outcome == 'OK' ? json(message, 'BwpOrder') : null
    if (outcome == 'OK' && !(amazon instanceof Map && amazon.id)) {
        throw new IllegalArgumentException('fulfillmentDecision: BwpOutcome is OK but property BwpOrder holds no order with an id')
    }
    def decision = amazon == null ? notInAmazon(message, order) : inAmazon(message, order, amazon)

    message.setProperty('FulfillmentAction', decision.action)
    message.setProperty('FulfillmentReason', decision.reason)
    message.setProperty('SAP_MessageProcessingLogCustomStatus', decision.action)
    if (amazon != null) {
        message.setProperty('BwpOrderId', amazon.id.toString())
    }
    if (decision.body != null) {
        message.setHeader('Content-Type', 'application/json')
        message.setBody(JsonOutput.toJson(decision.body))
    }
    message.setHeader('S4AMZ_SalesOrder', order.orderId.toString())
    message.setHeader('S4AMZ_BwpOrderId', decision.header || decision.action in ['RELEASE', 'CANCEL'] ? amazon.id.toString() : null)
    message.setHeader('S4AMZ_RejectionReason', decision.rejectionReason)
    def log = messageLogFactory.getMessageLog(message)
    if (log != null) {
        log.addCustomHeaderProperty('SalesOrder', order.orderId.toString())
        log.addCustomHeaderProperty('FulfillmentAction', decision.action)
        if (amazon != null) {
            log.addCustomHeaderProperty('AmazonOrderId', amazon.id.toString())
        }
    }
    return message
}

/** The order is not in Amazon: create it when it is relevant and still open. */
Map notInAmazon(Message message, Map order) {
    def why = irrelevance(message, order)
    if (why) {
        return [action: 'NONE', reason: "sales order ${order.orderId} is not for Amazon: ${why}".toString()]
    }
    def lines = amazonLines(message, order)
    def open = lines.findAll { !it.rejectionReason }
    if (open.isEmpty()) {
        return [action: 'NONE', reason: "sales order ${order.orderId}: every item for Amazon is rejected; nothing to create".toString()]
    }
    if (order.deliveryStatus in ['B', 'C']) {
        return [action: 'NONE', reason: "sales order ${order.orderId} is already (partly) delivered in S/4HANA (OverallDeliveryStatus ${order.deliveryStatus}); not sent to Amazon".toString()]
    }
    def body = new LinkedHashMap(order)
    body.items = lines
    def state = order.deliveryBlock ? "NOT_STARTED (delivery block ${order.deliveryBlock})" : 'STARTED'
    return [action: 'CREATE', body: body, reason: "sales order ${order.orderId}: create in Amazon, ${open.size()} line(s), ${state}".toString()]
}

/** The order is in Amazon: cancel, release, heal a missing write-back, or leave it. */
Map inAmazon(Message message, Map order, Map amazon) {
    def id = amazon.id.toString()
    def orderId = order.orderId.toString()
    def items = order.items.collectEntries { [(it.itemId.toString()): it] }
    def aliasType = prop(message, 'OrderAliasType') ?: 'EXTERNAL_ID'
    def amazonItems = (amazon.lineItems ?: []).collect { line ->
        def alias = (line.aliases ?: []).find { it.aliasType == aliasType && it.aliasId?.toString()?.startsWith(orderId + '-') }
        alias ? items[alias.aliasId.toString().substring(orderId.length() + 1)] : null
    }.findAll { it != null }
    def rejected = amazonItems.findAll { it.rejectionReason }
    def cancellations = (amazon.cancellations?.details ?: []).findAll { it instanceof Map }

    if (!amazonItems.isEmpty() && rejected.size() == amazonItems.size()) {
        def statusId = prop(message, 'CancelStatusTextId') ?: 'Z002'
        def status = (order.texts ?: []).find { it.id == statusId }?.text?.toString()?.trim() ?: ''
        if (status.startsWith('SUCCESS') || status.startsWith('REJECTED')) {
            return [action: 'NONE', reason: "sales order ${orderId}: the cancellation outcome is recorded (${statusId}: ${status})".toString()]
        }
        def pending = cancellations.find { it.state == 'PENDING' }
        if (pending && status.startsWith('PENDING')) {
            return [action: 'NONE', reason: "sales order ${orderId}: the cancellation ${pending.id} of Amazon order ${id} is pending; the outcome poll records it".toString()]
        }
        return [action: 'CANCEL', body: [salesOrder: orderId, orderId: id, rejectionReason: rejected[0].rejectionReason],
                rejectionReason: rejected[0].rejectionReason,
                reason: "sales order ${orderId}: rejected in S/4HANA (reason ${rejected[0].rejectionReason}); cancel Amazon order ${id}".toString()]
    }
    if (!rejected.isEmpty()) {
        def numbers = rejected*.itemId.join(', ')
        return [action: 'REVIEW', reason: ("sales order ${orderId}: item(s) ${numbers} rejected in S/4HANA after the order reached Amazon " +
            "(${id}); Buy with Prime cancels whole orders only: reject every item to cancel, or remove the rejection").toString()]
    }
    if (amazon.metadata?.executionState == 'NOT_STARTED' && !order.deliveryBlock) {
        return [action: 'RELEASE', body: [salesOrder: orderId, orderId: id],
                reason: "sales order ${orderId}: delivery block removed; start fulfillment of Amazon order ${id}".toString()]
    }
    def textId = prop(message, 'AmazonOrderTextId') ?: '0001'
    def known = (order.texts ?: []).find { it.id == textId }?.text?.toString()?.trim()
    if (known != id) {
        return [action: 'WRITE_BACK', body: order, header: true,
                reason: "sales order ${orderId}: Amazon order ${id} exists but header text ${textId} holds '${known ?: ''}'; write it back".toString()]
    }
    def state = amazon.metadata?.executionState ?: 'unknown'
    def blocked = order.deliveryBlock && state == 'STARTED' ? "; delivery block ${order.deliveryBlock} set after the start cannot stop Amazon" : ''
    return [action: 'NONE', reason: "sales order ${orderId}: Amazon order ${id} is up to date (${state})${blocked}".toString()]
}

/** Why the order is not for Amazon, or null when it is. */
String irrelevance(Message message, Map order) {
    def types = (prop(message, 'AmazonOrderTypes') ?: '').split(',')*.trim().findAll { it }
    if (types && !(order.orderType in types)) {
        return "order type ${order.orderType} is not one of ${types.join(', ')}"
    }
    def plant = prop(message, 'AmazonPlant')
    if (plant && !order.items.any { it.plant == plant }) {
        return "no item is delivered from plant ${plant}"
    }
    def control = prop(message, 'ControlTextId')
    if (control && !(order.texts ?: []).any { it.id == control && it.text?.toString()?.trim() }) {
        return "header text ${control} (the Amazon control text) is missing"
    }
    return null
}

List amazonLines(Message message, Map order) {
    def plant = prop(message, 'AmazonPlant')
    return plant ? order.items.findAll { it.plant == plant } : order.items
}

def json(Message message, String name) {
    def text = prop(message, name)
    return text == null ? null : new JsonSlurper().parseText(text)
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
