/*
 * The texts that record a Buy with Prime order in its S/4HANA sales order: the order id in a
 * header text and each line item id in a text of the item it came from. A line finds its item
 * through its alias of type OrderAliasType (EXTERNAL_ID) "<sales order>-<item>"
 * (bwpCreateOrderRequest sets it); lines without such an alias are left out.
 *
 * Properties: BwpOrder (the order JSON bwpReadResponse keeps, with id and lineItems{id aliases}),
 * SalesOrder, AmazonOrderTextId (0001), AmazonLineItemTextId (Z001; empty = no item texts).
 * Sets TextTargets (the JSON list s4SalesOrderTextPlan reads) and BwpLineItemIds
 * ("10=LI-...,20=LI-...").
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def salesOrder = required(message, 'SalesOrder')
    def order = new JsonSlurper().parseText(required(message, 'BwpOrder'))
    if (!(order instanceof Map) || !order.id) {
        throw new IllegalArgumentException('bwpOrderTextTargets: property BwpOrder must hold a Buy with Prime order with an id')
    }
    def headerId = (message.getProperty('AmazonOrderTextId') ?: '0001').toString().trim()
    def lineTextId = message.getProperty('AmazonLineItemTextId') == null ? 'Z001' : message.getProperty('AmazonLineItemTextId').toString().trim()
    def aliasType = (message.getProperty('OrderAliasType') ?: 'EXTERNAL_ID').toString().trim()
    def targets = [[id: headerId, text: order.id.toString()]]
    def pairs = []
    (order.lineItems ?: []).each { line ->
        def alias = (line?.aliases ?: []).find { it.aliasType == aliasType && it.aliasId?.toString()?.startsWith(salesOrder + '-') }
        if (alias && line.id) {
            def item = alias.aliasId.toString().substring(salesOrder.length() + 1)
            pairs << "${item}=${line.id}"
            if (lineTextId) {
                targets << [item: item, id: lineTextId, text: line.id.toString()]
            }
        }
    }
    message.setProperty('TextTargets', JsonOutput.toJson(targets))
    message.setProperty('BwpLineItemIds', pairs.join(','))
    return message
}

String required(Message message, String name) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("bwpOrderTextTargets: property ${name} is required")
    }
    return value.toString().trim()
}
