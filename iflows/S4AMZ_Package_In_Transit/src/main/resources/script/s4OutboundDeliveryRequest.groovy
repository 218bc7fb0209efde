/*
 * Canonical order JSON -> A_OutbDeliveryHeader create body (API_OUTBOUND_DELIVERY_SRV;v=0002):
 * an outbound delivery with reference to the sales order, one item per open order line, with the
 * only item fields the API lets a create set (ReferenceSDDocument, ReferenceSDDocumentItem,
 * ActualDeliveryQuantity, DeliveryQuantityUnit). Quantities are Edm.Decimal strings.
 * Properties: ShippingPoint (optional header field), DeliveredItems (optional JSON object
 * {"<itemId>": "<quantity>"} when Amazon shipped only part of the order).
 *
 * fromPackage: the same create for one Amazon package, from the package-delivery JSON (body, or
 * property PackageJson; groovy/schemas/package-delivery.schema.json), as the OData V2 receiver's XML
 * (<A_OutbDeliveryHeader><A_OutbDeliveryHeaderType><to_DeliveryDocumentItem><A_OutbDeliveryItemType>
 * ReferenceSDDocument, ReferenceSDDocumentItem, ActualDeliveryQuantity ...). The unit is left to S/4
 * (the order item's sales unit: Amazon counts units).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.xml.MarkupBuilder

def Message processData(Message message) {
    def order = new JsonSlurper().parse(message.getBody(Reader))
    if (!(order instanceof Map) || !order.orderId) {
        throw new IllegalArgumentException('s4OutboundDeliveryRequest: body must be a canonical order with orderId')
    }
    if (!(order.items instanceof List) || order.items.isEmpty()) {
        throw new IllegalArgumentException('s4OutboundDeliveryRequest: items must hold at least one line')
    }
    def partial = null
    def delivered = message.getProperty('DeliveredItems')
    if (delivered) {
        try {
            partial = new JsonSlurper().parseText(delivered.toString())
        } catch (Exception e) {
            throw new IllegalArgumentException("s4OutboundDeliveryRequest: property DeliveredItems is not a JSON object: ${e.message}")
        }
    }
    def items = []
    order.items.eachWithIndex { item, i ->
        if (item.rejectionReason) {
            return
        }
        def path = "items[${i}]"
        if (!item.itemId) {
            throw new IllegalArgumentException("s4OutboundDeliveryRequest: ${path}.itemId is required")
        }
        def quantity = partial != null ? partial[item.itemId.toString()] : item.quantity
        if (quantity == null) {
            return
        }
        def value
        try {
            value = new BigDecimal(quantity.toString())
        } catch (NumberFormatException ignored) {
            throw new IllegalArgumentException("s4OutboundDeliveryRequest: ${path}.quantity is not an Edm.Decimal: '${quantity}'")
        }
        if (value.signum() > 0) {
            items << [
                ReferenceSDDocument    : order.orderId.toString(),
                ReferenceSDDocumentItem: item.itemId.toString(),
                ActualDeliveryQuantity : value.setScale(3).toPlainString(),
                DeliveryQuantityUnit   : (item.unit ?: '').toString(),
            ]
        }
    }
    if (items.isEmpty()) {
        throw new IllegalArgumentException("s4OutboundDeliveryRequest: nothing to deliver for sales order ${order.orderId}")
    }
    def header = [to_DeliveryDocumentItem: [results: items]]
    def shippingPoint = message.getProperty('ShippingPoint')
    if (shippingPoint) {
        header = [ShippingPoint: shippingPoint.toString()] + header
    }
    message.setProperty('S4ResourcePath', 'A_OutbDeliveryHeader')
    message.setProperty('DeliveryItemCount', items.size())
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(header))
    return message
}

def Message fromPackage(Message message) {
    def raw = message.getProperty('PackageJson')
    def pkg
    try {
        pkg = raw ? new JsonSlurper().parseText(raw.toString()) : new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("s4OutboundDeliveryRequest.fromPackage: the package-delivery JSON is not JSON: ${e.message}")
    }
    if (!(pkg instanceof Map) || !pkg.salesOrder) {
        throw new IllegalArgumentException('s4OutboundDeliveryRequest.fromPackage: the package-delivery JSON needs salesOrder')
    }
    if (!(pkg.items instanceof List) || pkg.items.isEmpty()) {
        throw new IllegalArgumentException("s4OutboundDeliveryRequest.fromPackage: package ${pkg.packageId} has no items")
    }
    def rows = []
    pkg.items.eachWithIndex { item, i ->
        if (!item?.salesOrderItem) {
            throw new IllegalArgumentException("s4OutboundDeliveryRequest.fromPackage: items[${i}].salesOrderItem is required")
        }
        def quantity
        try {
            quantity = new BigDecimal(item.quantity.toString())
        } catch (Exception ignored) {
            throw new IllegalArgumentException("s4OutboundDeliveryRequest.fromPackage: items[${i}].quantity is not a number: '${item?.quantity}'")
        }
        if (quantity.signum() <= 0) {
            throw new IllegalArgumentException("s4OutboundDeliveryRequest.fromPackage: items[${i}].quantity must be positive, got ${quantity}")
        }
        rows << [item: item.salesOrderItem.toString(), quantity: quantity.setScale(3).toPlainString()]
    }
    def shippingPoint = message.getProperty('ShippingPoint')?.toString()?.trim()
    def writer = new StringWriter()
    def xml = new MarkupBuilder(writer)
    xml.A_OutbDeliveryHeader {
        A_OutbDeliveryHeaderType {
            if (shippingPoint) {
                ShippingPoint(shippingPoint)
            }
            to_DeliveryDocumentItem {
                rows.each { row ->
                    A_OutbDeliveryItemType {
                        ReferenceSDDocument(pkg.salesOrder.toString())
                        ReferenceSDDocumentItem(row.item)
                        ActualDeliveryQuantity(row.quantity)
                    }
                }
            }
        }
    }
    message.setProperty('DeliveryItemCount', rows.size())
    message.setHeader('Content-Type', 'application/xml')
    message.setBody(writer.toString())
    return message
}
