/*
 * Canonical order JSON -> Buy with Prime GraphQL createOrder request body
 * ({"query": ..., "variables": {"input": CreateOrderInput}}, API version 2024-11-01).
 *
 * - aliases: EXTERNAL_ID = SAP sales order number (the idempotency key: a retried create answers
 *   AliasValueAlreadyExists), EXTERNAL_DISPLAY_ID = customer reference when present; every line
 *   carries EXTERNAL_ID "<order>-<item>".
 * - desiredExecutionState: NOT_STARTED while the order has a delivery block, else STARTED.
 * - each line: SKU, title, unit price, whole-unit quantity, discounts, taxes, delivery offer.
 * Exchange properties: BwpMaxLineItems (20). Sets BwpAlias (the order alias) and BwpLineItemCount.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.transform.Field

import java.math.RoundingMode

@Field static final String MUTATION = '''mutation CreateOrder($input: CreateOrderInput!) {
  createOrder(input: $input) {
    order { id aliases { aliasType aliasId } metadata { executionState } }
  }
}'''

def Message processData(Message message) {
    def order = new JsonSlurper().parse(message.getBody(Reader))
    if (!(order instanceof Map)) {
        throw new IllegalArgumentException('bwpCreateOrderRequest: body must be a canonical order JSON object')
    }
    def orderId = text(order, 'orderId', 'orderId')
    def currency = text(order, 'currency', 'currency')
    def items = order.items
    if (!(items instanceof List) || items.isEmpty()) {
        throw new IllegalArgumentException('bwpCreateOrderRequest: items must hold at least one line')
    }
    def maxLines = (message.getProperty('BwpMaxLineItems') ?: '20').toString().toInteger()
    def openItems = items.findAll { !it.rejectionReason }
    if (openItems.isEmpty()) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: every item of order ${orderId} is rejected (items[].rejectionReason)")
    }
    if (openItems.size() > maxLines) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: items has ${openItems.size()} open lines, Buy with Prime takes at most ${maxLines}")
    }

    def offer = order.deliveryOffer ?: [provider: 'AMAZON', speed: 'STANDARD', primeEligible: true]
    def lineItems = []
    items.eachWithIndex { item, i ->
        if (!item.rejectionReason) {
            lineItems << lineItem(item, "items[${i}]", orderId, currency, offer)
        }
    }

    def aliases = [[aliasType: 'EXTERNAL_ID', aliasId: orderId]]
    if (order.customerReference) {
        aliases << [aliasType: 'EXTERNAL_DISPLAY_ID', aliasId: order.customerReference.toString()]
    }
    def input = [
        aliases              : aliases,
        desiredExecutionState: order.deliveryBlock ? 'NOT_STARTED' : 'STARTED',
        lineItems            : lineItems,
        recipient            : [deliveryAddress: address(order.recipient)],
        totalPrice           : [value: money(total(openItems), currency)],
    ]
    if (order.recipient?.email) {
        input.customer = [contact: [emailData: [name: order.recipient.name, email: order.recipient.email]]]
    }
    if (order.discounts) {
        input.discounts = order.discounts.collect { condition(it, currency) }
    }
    if (order.taxes) {
        input.taxes = order.taxes.collect { condition(it, currency) }
    }

    message.setProperty('BwpAlias', orderId)
    message.setProperty('BwpLineItemCount', lineItems.size())
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([query: MUTATION, variables: [input: input]]))
    return message
}

def lineItem(Map item, String path, String orderId, String currency, Map offer) {
    def sku = text(item, 'sku', path)
    def quantity = decimal(text(item, 'quantity', path), "${path}.quantity")
    if (quantity.signum() <= 0 || quantity.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: ${path}.quantity must be a positive whole number of units, got ${item.quantity}")
    }
    def unitPrice = decimal(text(item, 'unitPrice', path), "${path}.unitPrice")
    def product = [identifier: [sku: sku], price: [amount: unitPrice, currencyCode: item.currency ?: currency]]
    if (item.description) {
        product.title = item.description
    }
    def line = [
        product              : product,
        amount               : [value: quantity.intValueExact(), unit: 'ONE'],
        aliases              : [[aliasType: 'EXTERNAL_ID', aliasId: "${orderId}-${item.itemId}".toString()]],
        selectedDeliveryOffer: [details: deliveryDetails(offer, path)],
    ]
    if (item.discounts) {
        line.discounts = item.discounts.collect { condition(it, currency) }
    }
    if (item.taxes) {
        line.taxes = item.taxes.collect { condition(it, currency) }
    }
    return line
}

def deliveryDetails(Map offer, String path) {
    def provider = (offer.provider ?: 'AMAZON').toString()
    if (!(provider in ['AMAZON', 'MERCHANT'])) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: deliveryOffer.provider must be AMAZON or MERCHANT, got ${provider}")
    }
    def prime = offer.primeEligible == null ? true : offer.primeEligible as boolean
    def details = [deliveryProvider: provider, deliveryTerms: [isPrimeEligible: prime, deliverySpeed: (offer.speed ?: 'STANDARD').toString()]]
    if (provider == 'AMAZON' && prime) {
        if (!offer.offerId || !offer.previewId) {
            throw new IllegalArgumentException("bwpCreateOrderRequest: deliveryOffer.offerId and deliveryOffer.previewId are required for a Prime delivery by AMAZON (${path})")
        }
    }
    if (offer.offerId) {
        details.id = offer.offerId.toString()
    }
    if (offer.previewId) {
        details.deliveryPreviewId = offer.previewId.toString()
    }
    return details
}

def address(recipient) {
    if (!(recipient instanceof Map)) {
        throw new IllegalArgumentException('bwpCreateOrderRequest: recipient is required')
    }
    def out = [
        name         : text(recipient, 'name', 'recipient'),
        streetAddress: text(recipient, 'street', 'recipient'),
        locality     : text(recipient, 'city', 'recipient'),
        countryCode  : text(recipient, 'country', 'recipient'),
        postalCode   : text(recipient, 'postalCode', 'recipient'),
    ]
    if (recipient.region) {
        out.region = recipient.region.toString()
    }
    return out
}

BigDecimal total(List items) {
    BigDecimal sum = BigDecimal.ZERO
    items.each { item ->
        def line = item.netAmount ? decimal(item.netAmount, 'items[].netAmount')
                : decimal(item.unitPrice, 'items[].unitPrice') * decimal(item.quantity, 'items[].quantity')
        sum = sum + line
    }
    return sum.setScale(2, RoundingMode.HALF_UP)
}

def condition(Map c, String currency) {
    return [code: c.type, value: money(decimal(c.amount, 'amount'), currency)]
}

def money(BigDecimal amount, String currency) {
    return [amount: amount, currencyCode: currency]
}

String text(Map map, String field, String path) {
    def value = map[field]
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: ${path == field ? field : path + '.' + field} is required")
    }
    return value.toString()
}

BigDecimal decimal(value, String path) {
    try {
        return new BigDecimal(value.toString())
    } catch (NumberFormatException ignored) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: ${path} is not a decimal number: '${value}'")
    }
}
