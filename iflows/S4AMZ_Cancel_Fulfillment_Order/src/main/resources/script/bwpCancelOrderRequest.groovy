/*
 * Buy with Prime cancelOrder request (whole order). The SAP rejection reason is mapped to a BwP
 * CancellationReasonInput through the tenant's value mapping:
 *   S4HANA / SalesDocumentRjcnReason / <Z1>  <->  BuyWithPrime / CancellationReason / <OUT_OF_STOCK>
 * An unmapped reason becomes OTHER, with the SAP reason in additionalComments, and the property
 * BwpCancelReasonMapped is "false" (so monitoring shows it; the cancellation is not held back).
 *
 * Order: property BwpOrderId, or alias BwpAliasId (+ BwpAliasType, default EXTERNAL_ID).
 * Reason: property RejectionReason (SAP code) or BwpCancelReason (a BwP value, used as is).
 * Optional: CancelComment, CancelAlias (alias of the cancellation, e.g. the SAP order + reason).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
import groovy.json.JsonOutput
import groovy.transform.Field

@Field static final String MUTATION = '''mutation CancelOrder($orderIdentifier: OrderIdentifierInput!, $input: CancelOrderInput) {
  cancelOrder(orderIdentifier: $orderIdentifier, input: $input) {
    cancellation { id state reason additionalComments requestedBy aliases { aliasType aliasId } }
  }
}'''

@Field static final List<String> REASONS = ['INCORRECT_SHIPPING_ADDRESS', 'ITEMS_ARRIVING_LATE', 'ORDERED_BY_MISTAKE',
                                            'OTHER', 'OUT_OF_STOCK', 'PAYMENT_ISSUE']

def Message processData(Message message) {
    def identifier = orderIdentifier(message)
    def comments = []
    def reason = prop(message, 'BwpCancelReason')
    def mapped = true
    if (reason != null) {
        if (!(reason in REASONS)) {
            throw new IllegalArgumentException("bwpCancelOrderRequest: property BwpCancelReason must be one of ${REASONS.join(', ')}, got ${reason}")
        }
    } else {
        def sapReason = prop(message, 'RejectionReason')
        if (sapReason == null) {
            throw new IllegalArgumentException('bwpCancelOrderRequest: property RejectionReason (SAP rejection reason) or BwpCancelReason is required')
        }
        def api = ITApiFactory.getService(ValueMappingApi, null)
        reason = api.getMappedValue('S4HANA', 'SalesDocumentRjcnReason', sapReason, 'BuyWithPrime', 'CancellationReason')
        if (reason == null || !(reason in REASONS)) {
            mapped = false
            reason = 'OTHER'
            comments << "SAP rejection reason ${sapReason}".toString()
        }
    }
    def comment = prop(message, 'CancelComment')
    if (comment) {
        comments << comment
    }
    def input = [reason: reason]
    if (comments) {
        input.additionalComments = comments.join('; ')
    }
    def alias = prop(message, 'CancelAlias')
    if (alias) {
        input.aliases = [[aliasType: 'EXTERNAL_ID', aliasId: alias]]
    }
    message.setProperty('BwpCancelReason', reason)
    message.setProperty('BwpCancelReasonMapped', String.valueOf(mapped))
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([query: MUTATION, variables: [orderIdentifier: identifier, input: input]]))
    return message
}

def orderIdentifier(Message message) {
    def orderId = prop(message, 'BwpOrderId')
    if (orderId) {
        return [orderId: orderId]
    }
    def aliasId = prop(message, 'BwpAliasId')
    if (aliasId) {
        return [alias: [aliasType: prop(message, 'BwpAliasType') ?: 'EXTERNAL_ID', aliasId: aliasId]]
    }
    throw new IllegalArgumentException('bwpCancelOrderRequest: property BwpOrderId or BwpAliasId is required to identify the order')
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
