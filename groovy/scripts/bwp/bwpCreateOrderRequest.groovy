/*
 * Canonical order JSON -> Buy with Prime GraphQL createOrder request body
 * ({"query": ..., "variables": {"input": CreateOrderInput}}, API version 2024-11-01).
 *
 * - aliases: OrderAliasType (EXTERNAL_ID) = SAP sales order number (the idempotency key: a retried
 *   create answers AliasValueAlreadyExists), DisplayAliasType (EXTERNAL_DISPLAY_ID; empty = none)
 *   = customer reference when present; every line carries OrderAliasType "<order>-<item>" (how the
 *   write-back finds each line's id again).
 * - desiredExecutionState: NOT_STARTED while the order has a delivery block, else STARTED.
 * - each open (not rejected) line: seller SKU, title, unit price, whole-unit quantity, discounts,
 *   taxes, delivery offer; order-level discounts, taxes, payments and the total.
 *
 * Exchange properties (all optional):
 *   BwpMaxLineItems        most lines Buy with Prime takes in one order (20)
 *   OrderAliasType, DisplayAliasType  alias types (EXTERNAL_ID, EXTERNAL_DISPLAY_ID)
 *   SkuSource              material (the SKU is the material number; default) | value_mapping
 *                          (S4HANA/Material -> Amazon/SellerSKU; unmapped fails naming the item) |
 *                          value_mapping_or_material (unmapped keeps the material number)
 *   ElectronicPaymentTypes payment plan types sent as payments, comma separated (DPVI)
 *   EPaytAuthorizationResult authorization result a payment needs to be sent (C; empty = any)
 * Payment methods map S4HANA/ElectronicPaymentType -> BuyWithPrime/PaymentMethod (unmapped: the
 * SAP type). Sets BwpAlias (the order alias) and BwpLineItemCount. Every error names the sales
 * order and the field.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.transform.Field

import java.math.RoundingMode

@Field static final String MUTATION = '''mutation CreateOrder($input: CreateOrderInput!) {
  createOrder(input: $input) {
    order {
      id
      aliases { aliasType aliasId }
      metadata { executionState }
      lineItems { id aliases { aliasType aliasId } amount { unit value } }
    }
  }
}'''

@Field static final List<String> SKU_SOURCES = ['material', 'value_mapping', 'value_mapping_or_material']

def Message processData(Message message) {
    def order = new JsonSlurper().parse(message.getBody(Reader))
    if (!(order instanceof Map)) {
        throw new IllegalArgumentException('bwpCreateOrderRequest: body must be a canonical order JSON object')
    }
    def orderId = text(order, 'orderId', 'orderId', null)
    def currency = text(order, 'currency', 'currency', orderId)
    def items = order.items
    if (!(items instanceof List) || items.isEmpty()) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId}: items must hold at least one line")
    }
    def maxLines = (message.getProperty('BwpMaxLineItems') ?: '20').toString().toInteger()
    def openItems = items.findAll { !it.rejectionReason }
    if (openItems.isEmpty()) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId}: every item is rejected (items[].rejectionReason)")
    }
    if (openItems.size() > maxLines) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId}: items has ${openItems.size()} open lines, Buy with Prime takes at most ${maxLines}")
    }
    def skus = new SkuResolver(skuSource(message), orderId)

    def aliasType = prop(message, 'OrderAliasType', 'EXTERNAL_ID')
    def displayType = message.getProperty('DisplayAliasType') == null ? 'EXTERNAL_DISPLAY_ID' : message.getProperty('DisplayAliasType').toString().trim()
    def offer = order.deliveryOffer ?: [provider: 'AMAZON', speed: 'STANDARD', primeEligible: true]
    def lineItems = []
    items.eachWithIndex { item, i ->
        if (!item.rejectionReason) {
            lineItems << lineItem(item, "items[${i}]", orderId, currency, offer, skus, aliasType)
        }
    }

    def aliases = [[aliasType: aliasType, aliasId: orderId]]
    if (order.customerReference && displayType) {
        aliases << [aliasType: displayType, aliasId: order.customerReference.toString()]
    }
    def input = [
        aliases              : aliases,
        desiredExecutionState: order.deliveryBlock ? 'NOT_STARTED' : 'STARTED',
        lineItems            : lineItems,
        recipient            : [deliveryAddress: address(order.recipient, orderId)],
        totalPrice           : [value: money(total(openItems, orderId), currency)],
    ]
    if (order.recipient?.email) {
        input.customer = [contact: [emailData: [name: order.recipient.name, email: order.recipient.email]]]
    }
    if (order.discounts) {
        input.discounts = order.discounts.withIndex().collect { c, i -> discount(c, currency, "discounts[${i}]", orderId) }
    }
    if (order.taxes) {
        input.taxes = order.taxes.withIndex().collect { c, i -> tax(c, currency, "taxes[${i}]", orderId) }
    }
    def paid = payments(message, order, currency, orderId)
    if (paid) {
        input.payments = paid
    }

    message.setProperty('BwpAlias', orderId)
    message.setProperty('BwpLineItemCount', lineItems.size())
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([query: MUTATION, variables: [input: input]]))
    return message
}

/** Material number -> seller SKU, as the property SkuSource asks. */
class SkuResolver {
    final String source
    final String orderId
    ValueMappingApi api

    SkuResolver(String source, String orderId) {
        this.source = source
        this.orderId = orderId
    }

    String sku(String material, String path, item) {
        if (source == 'material') {
            return material
        }
        if (api == null) {
            api = ITApiFactory.getService(ValueMappingApi, null)
        }
        def mapped = api.getMappedValue('S4HANA', 'Material', material, 'Amazon', 'SellerSKU')
        if (mapped) {
            return mapped
        }
        if (source == 'value_mapping_or_material') {
            return material
        }
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId} item ${item.itemId} (${path}.sku): " +
            "material ${material} has no seller SKU in the value mapping S4HANA/Material -> Amazon/SellerSKU")
    }
}

String prop(Message message, String name, String fallback) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? fallback : value.toString().trim()
}

String skuSource(Message message) {
    def source = (message.getProperty('SkuSource') ?: 'material').toString().trim()
    if (!(source in SKU_SOURCES)) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: property SkuSource must be one of ${SKU_SOURCES.join(', ')}, got ${source}")
    }
    return source
}

def lineItem(Map item, String path, String orderId, String currency, Map offer, SkuResolver skus, String aliasType) {
    def material = text(item, 'sku', path, orderId)
    def quantity = decimal(text(item, 'quantity', path, orderId), "${path}.quantity", orderId)
    if (quantity.signum() <= 0 || quantity.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId} item ${item.itemId}: ${path}.quantity must be a positive whole number of units, got ${item.quantity}")
    }
    def unitPrice = decimal(text(item, 'unitPrice', path, orderId), "${path}.unitPrice", orderId)
    def product = [identifier: [sku: skus.sku(material, path, item)], price: [amount: unitPrice, currencyCode: item.currency ?: currency]]
    if (item.description) {
        product.title = item.description
    }
    def line = [
        product              : product,
        amount               : [value: quantity.intValueExact(), unit: 'ONE'],
        aliases              : [[aliasType: aliasType, aliasId: "${orderId}-${item.itemId}".toString()]],
        selectedDeliveryOffer: [details: deliveryDetails(offer, path, orderId)],
    ]
    if (item.discounts) {
        line.discounts = item.discounts.withIndex().collect { c, i -> discount(c, currency, "${path}.discounts[${i}]", orderId) }
    }
    if (item.taxes) {
        line.taxes = item.taxes.withIndex().collect { c, i -> tax(c, currency, "${path}.taxes[${i}]", orderId) }
    }
    return line
}

def deliveryDetails(Map offer, String path, String orderId) {
    def provider = (offer.provider ?: 'AMAZON').toString()
    if (!(provider in ['AMAZON', 'MERCHANT'])) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId}: deliveryOffer.provider must be AMAZON or MERCHANT, got ${provider}")
    }
    def prime = offer.primeEligible == null ? true : offer.primeEligible as boolean
    def details = [deliveryProvider: provider, deliveryTerms: [isPrimeEligible: prime, deliverySpeed: (offer.speed ?: 'STANDARD').toString()]]
    if (provider == 'AMAZON' && prime) {
        if (!offer.offerId || !offer.previewId) {
            throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId}: deliveryOffer.offerId and deliveryOffer.previewId are required for a Prime delivery by AMAZON (${path})")
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

def address(recipient, String orderId) {
    if (!(recipient instanceof Map)) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId}: recipient is required")
    }
    def out = [
        name         : text(recipient, 'name', 'recipient', orderId),
        streetAddress: text(recipient, 'street', 'recipient', orderId),
        locality     : text(recipient, 'city', 'recipient', orderId),
        countryCode  : text(recipient, 'country', 'recipient', orderId),
        postalCode   : text(recipient, 'postalCode', 'recipient', orderId),
    ]
    if (recipient.region) {
        out.region = recipient.region.toString()
    }
    return out
}

/** Payment plan items of the configured types (and authorization result) as BwP payments. */
List payments(Message message, Map order, String currency, String orderId) {
    if (!(order.payments instanceof List) || order.payments.isEmpty()) {
        return []
    }
    def types = (message.getProperty('ElectronicPaymentTypes') ?: 'DPVI').toString().split(',')*.trim().findAll { it }
    def result = message.getProperty('EPaytAuthorizationResult') == null ? 'C' : message.getProperty('EPaytAuthorizationResult').toString().trim()
    def api = null
    def out = []
    order.payments.eachWithIndex { p, i ->
        if (!(p.type in types) || (result && p.authorizationResult != result) || !p.amount) {
            return
        }
        if (api == null) {
            api = ITApiFactory.getService(ValueMappingApi, null)
        }
        def method = api.getMappedValue('S4HANA', 'ElectronicPaymentType', p.type.toString(), 'BuyWithPrime', 'PaymentMethod') ?: p.type.toString()
        def amount = decimal(p.amount, "payments[${i}].amount", orderId)
        out << [paymentMethod: method, amount: money(amount, (p.currency ?: currency).toString())]
    }
    return out
}

BigDecimal total(List items, String orderId) {
    BigDecimal sum = BigDecimal.ZERO
    items.each { item ->
        def line = item.netAmount ? decimal(item.netAmount, 'items[].netAmount', orderId)
                : decimal(item.unitPrice, 'items[].unitPrice', orderId) * decimal(item.quantity, 'items[].quantity', orderId)
        sum = sum + line
    }
    return sum.setScale(2, RoundingMode.HALF_UP)
}

def discount(Map c, String currency, String path, String orderId) {
    return [code: c.type, amount: money(decimal(c.amount, "${path}.amount", orderId), currency)]
}

def tax(Map c, String currency, String path, String orderId) {
    return [type: c.type, amount: money(decimal(c.amount, "${path}.amount", orderId), currency)]
}

def money(BigDecimal amount, String currency) {
    return [amount: amount, currencyCode: currency]
}

String text(Map map, String field, String path, String orderId) {
    def value = map[field]
    if (value == null || value.toString().trim().isEmpty()) {
        def where = orderId ? "sales order ${orderId}: " : ''
        throw new IllegalArgumentException("bwpCreateOrderRequest: ${where}${path == field ? field : path + '.' + field} is required")
    }
    return value.toString()
}

BigDecimal decimal(value, String path, String orderId) {
    try {
        return new BigDecimal(value.toString())
    } catch (NumberFormatException ignored) {
        throw new IllegalArgumentException("bwpCreateOrderRequest: sales order ${orderId}: ${path} is not a decimal number: '${value}'")
    }
}
