/*
 * Canonical return JSON -> A_CustomerReturn deep insert (API_CUSTOMER_RETURN_SRV) with reference
 * to the sales order, items and a header text carrying the Buy with Prime return id.
 * Body: {"returnId", "bwpOrderId"?, "salesOrder", "salesArea": {salesOrganization,
 *   distributionChannel, division}, "soldTo", "items": [{"salesOrderItem", "sku", "quantity",
 *   "unit", "returnReason"?}]}
 * Properties: CustomerReturnType (RE), SDDocumentReason (009), ReturnTextId (0001), TextLanguage (EN).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def ret = new JsonSlurper().parse(message.getBody(Reader))
    if (!(ret instanceof Map)) {
        throw new IllegalArgumentException('s4CustomerReturnRequest: body must be a canonical return JSON object')
    }
    def area = ret.salesArea instanceof Map ? ret.salesArea : [:]
    def salesOrder = required(ret, 'salesOrder', 'salesOrder')
    if (!(ret.items instanceof List) || ret.items.isEmpty()) {
        throw new IllegalArgumentException('s4CustomerReturnRequest: items must hold at least one returned line')
    }
    def items = ret.items.withIndex().collect { item, i ->
        def path = "items[${i}]"
        def line = [
            Material               : required(item, 'sku', path),
            RequestedQuantity      : quantity(required(item, 'quantity', path), "${path}.quantity"),
            RequestedQuantityUnit  : required(item, 'unit', path),
            ReferenceSDDocument    : salesOrder,
            ReferenceSDDocumentItem: required(item, 'salesOrderItem', path),
        ]
        if (item.returnReason) {
            line.ReturnReason = item.returnReason.toString()
        }
        line
    }
    def body = [
        CustomerReturnType  : (message.getProperty('CustomerReturnType') ?: 'RE').toString(),
        SalesOrganization   : required(area, 'salesOrganization', 'salesArea'),
        DistributionChannel : required(area, 'distributionChannel', 'salesArea'),
        OrganizationDivision: required(area, 'division', 'salesArea'),
        SoldToParty         : required(ret, 'soldTo', 'soldTo'),
        SDDocumentReason    : (message.getProperty('SDDocumentReason') ?: '009').toString(),
        ReferenceSDDocument : salesOrder,
        to_Item             : [results: items],
        to_Text             : [results: [[Language  : (message.getProperty('TextLanguage') ?: 'EN').toString(),
                                          LongTextID: (message.getProperty('ReturnTextId') ?: '0001').toString(),
                                          LongText  : required(ret, 'returnId', 'returnId')]]],
    ]
    if (ret.bwpOrderId) {
        body.PurchaseOrderByCustomer = ret.bwpOrderId.toString().take(35)
    }
    message.setProperty('S4ResourcePath', 'A_CustomerReturn')
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(body))
    return message
}

String quantity(String value, String path) {
    try {
        def number = new BigDecimal(value)
        if (number.signum() <= 0) {
            throw new IllegalArgumentException("s4CustomerReturnRequest: ${path} must be positive, got ${value}")
        }
        return number.setScale(3).toPlainString()
    } catch (NumberFormatException ignored) {
        throw new IllegalArgumentException("s4CustomerReturnRequest: ${path} is not an Edm.Decimal: '${value}'")
    }
}

String required(Map map, String field, String path) {
    def value = map[field]
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4CustomerReturnRequest: ${path == field ? field : path + '.' + field} is required")
    }
    return value.toString()
}
