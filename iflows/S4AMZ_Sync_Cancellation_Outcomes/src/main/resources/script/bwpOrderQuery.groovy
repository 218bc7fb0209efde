/*
 * Buy with Prime order query by order id or alias (the way to read an order after a thin event or
 * after createOrder answered AliasValueAlreadyExists); it reads the line items with their aliases,
 * the packages, returns, refunds and cancellations (whose states decide release and cancel).
 * Order: property BwpOrderId, or BwpAliasId (+ BwpAliasType, default EXTERNAL_ID).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.transform.Field

@Field static final String QUERY = '''query Order($orderIdentifier: OrderIdentifierInput!) {
  order(orderIdentifier: $orderIdentifier) {
    id
    aliases { aliasType aliasId }
    metadata { createdAt updatedAt executionState }
    lineItems { id aliases { aliasType aliasId } amount { unit value } product { title price { amount currencyCode } } }
    packageInformation {
      summary { state }
      details {
        id state reason aliases { aliasType aliasId }
        packageTracker { packageTrackerIdentifier { trackingNumber carrierCode } trackingUrl latestMilestone { status { code } occurredAt } }
      }
    }
    returns { details { id state } }
    cancellations { details { id state reason additionalComments createdAt updatedAt } }
    refunds { details { id state refundTotal { totalAmount { amount currencyCode } } } }
    totalPrice { value { amount currencyCode } }
  }
}'''

def Message processData(Message message) {
    def orderId = prop(message, 'BwpOrderId')
    def identifier
    if (orderId) {
        identifier = [orderId: orderId]
    } else {
        def aliasId = prop(message, 'BwpAliasId')
        if (!aliasId) {
            throw new IllegalArgumentException('bwpOrderQuery: property BwpOrderId or BwpAliasId is required to identify the order')
        }
        identifier = [alias: [aliasType: prop(message, 'BwpAliasType') ?: 'EXTERNAL_ID', aliasId: aliasId]]
    }
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([query: QUERY, variables: [orderIdentifier: identifier]]))
    return message
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
