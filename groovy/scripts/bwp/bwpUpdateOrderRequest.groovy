/*
 * Buy with Prime updateOrder request (API 2024-11-01: orderIdentifier outside the input) from a
 * canonical order update (JSON; input shapes as harness/mocks/bwp/schema.graphql has them):
 *   {"orderId" | "alias": {"type","id"}, "executionState": "STARTED",
 *    "packages": [{"id", "alias"}] (package aliases),
 *    "returns": [{"alias", "returnId", "state"}] (external returns),
 *    "refunds": [{"id", "alias", "state", "amount", "currency", "lineItemIds": [...]}]}
 * Use it to release a NOT_STARTED order (delivery block removed in S/4), and to sync returns and
 * refunds handled outside Amazon. Sets BwpUpdateKinds (e.g. "executionState,refunds").
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.transform.Field

@Field static final String MUTATION = '''mutation UpdateOrder($orderIdentifier: OrderIdentifierInput!, $input: UpdateOrderInput!) {
  updateOrder(orderIdentifier: $orderIdentifier, input: $input) {
    order { id metadata { executionState } }
  }
}'''

@Field static final List<String> REFUND_STATES = ['PENDING', 'SUCCESS', 'PARTIAL', 'FAILURE', 'REJECTED']
@Field static final List<String> RETURN_STATES = ['DRAFT', 'CREATED', 'CANCELLED', 'COMPLETED']

def Message processData(Message message) {
    def update = new JsonSlurper().parse(message.getBody(Reader))
    if (!(update instanceof Map)) {
        throw new IllegalArgumentException('bwpUpdateOrderRequest: body must be a canonical order update JSON object')
    }
    def identifier
    if (update.orderId) {
        identifier = [orderId: update.orderId.toString()]
    } else if (update.alias instanceof Map && update.alias.id) {
        identifier = [alias: [aliasType: (update.alias.type ?: 'EXTERNAL_ID').toString(), aliasId: update.alias.id.toString()]]
    } else {
        throw new IllegalArgumentException('bwpUpdateOrderRequest: orderId or alias.id is required to identify the order')
    }

    def input = [:]
    if (update.executionState != null) {
        if (update.executionState != 'STARTED') {
            throw new IllegalArgumentException("bwpUpdateOrderRequest: executionState can only be set to STARTED, got ${update.executionState}")
        }
        input.desiredExecutionState = 'STARTED'
    }
    if (update.packages) {
        input.packageInformation = [details: update.packages.withIndex().collect { p, i -> packageDetails(p, "packages[${i}]") }]
    }
    if (update.returns) {
        input.returns = update.returns.withIndex().collect { r, i -> returnDetails(r, "returns[${i}]") }
    }
    if (update.refunds) {
        input.refunds = [details: update.refunds.withIndex().collect { r, i -> refundDetails(r, "refunds[${i}]") }]
    }
    if (input.isEmpty()) {
        throw new IllegalArgumentException('bwpUpdateOrderRequest: nothing to update: give executionState, packages, returns or refunds')
    }
    message.setProperty('BwpUpdateKinds', input.keySet().join(','))
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([query: MUTATION, variables: [orderIdentifier: identifier, input: input]]))
    return message
}

def packageDetails(Map p, String path) {
    def out = [id: required(p, 'id', path)]
    if (p.alias) {
        out.aliases = [[aliasType: 'EXTERNAL_ID', aliasId: p.alias.toString()]]
    }
    if (out.size() == 1) {
        throw new IllegalArgumentException("bwpUpdateOrderRequest: ${path} carries nothing to update (give alias)")
    }
    return out
}

def returnDetails(Map r, String path) {
    def state = required(r, 'state', path)
    if (!(state in RETURN_STATES)) {
        throw new IllegalArgumentException("bwpUpdateOrderRequest: ${path}.state must be one of ${RETURN_STATES.join(', ')}, got ${state}")
    }
    def out = [state: state, aliases: [[aliasType: 'EXTERNAL_ID', aliasId: required(r, 'alias', path)]]]
    if (r.returnId) {
        out.returnIdentifier = r.returnId.toString()
    }
    return out
}

def refundDetails(Map r, String path) {
    def state = required(r, 'state', path)
    if (!(state in REFUND_STATES)) {
        throw new IllegalArgumentException("bwpUpdateOrderRequest: ${path}.state must be one of ${REFUND_STATES.join(', ')}, got ${state}")
    }
    def amount
    try {
        amount = new BigDecimal(required(r, 'amount', path))
    } catch (NumberFormatException ignored) {
        throw new IllegalArgumentException("bwpUpdateOrderRequest: ${path}.amount is not a decimal number: '${r.amount}'")
    }
    def out = [
        state      : state,
        refundTotal: [totalAmount: [amount: amount, currencyCode: required(r, 'currency', path)]],
    ]
    if (r.id) {
        out.id = r.id.toString()
    }
    if (r.alias) {
        out.aliases = [[aliasType: 'EXTERNAL_ID', aliasId: r.alias.toString()]]
    }
    if (r.lineItemIds) {
        out.refundFor = [orderLineItems: r.lineItemIds.collect { [lineItemId: it.toString()] }]
    }
    return out
}

String required(Map map, String field, String path) {
    def value = map[field]
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("bwpUpdateOrderRequest: ${path}.${field} is required")
    }
    return value.toString()
}
