/*
 * Buy with Prime `order` query for package events: everything the fulfillment updates need to turn
 * one Amazon package into one S/4HANA outbound delivery (order and line aliases, every package with
 * its state, reason, lines and units, tracker with milestones, estimated delivery and URL).
 *
 * Order: property BwpOrderId, or BwpAliasId (+ BwpAliasType, default EXTERNAL_ID: the S/4HANA
 * sales order number the create flow stored as the order's alias).
 * Sets the body {"query", "variables"} and header Content-Type.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.transform.Field

@Field static final String QUERY = '''query OrderPackages($orderIdentifier: OrderIdentifierInput!) {
  order(orderIdentifier: $orderIdentifier) {
    id
    aliases { aliasType aliasId }
    metadata { executionState }
    lineItems { id aliases { aliasType aliasId } amount { unit value } product { sku title } }
    packageInformation {
      summary { state }
      details {
        id state reason aliases { aliasType aliasId }
        packageInformationDetailsFor { orderLineItems { lineItem { id } amount { unit value } } }
        packageTracker {
          packageTrackerIdentifier { trackingNumber carrierCode }
          estimatedDeliveryDate { earliest latest }
          latestMilestone { status { code message { locale value } } address { locality region country } occurredAt }
          milestones { status { code } occurredAt }
          trackingUrl
        }
      }
    }
  }
}'''

def Message processData(Message message) {
    def orderId = text(message, 'BwpOrderId')
    def identifier
    if (orderId) {
        identifier = [orderId: orderId]
    } else {
        def aliasId = text(message, 'BwpAliasId')
        if (!aliasId) {
            throw new IllegalArgumentException('bwpPackageQuery: property BwpOrderId or BwpAliasId is required to identify the order')
        }
        identifier = [alias: [aliasType: text(message, 'BwpAliasType') ?: 'EXTERNAL_ID', aliasId: aliasId]]
    }
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([query: QUERY, variables: [orderIdentifier: identifier]]))
    return message
}

String text(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
