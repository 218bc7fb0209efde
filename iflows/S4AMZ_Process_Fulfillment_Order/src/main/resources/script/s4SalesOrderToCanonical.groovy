/*
 * S/4HANA sales order (API_SALES_ORDER_SRV, OData V2 JSON with to_Item, to_Partner/to_Address,
 * to_PricingElement and to_Text expanded; to_PaymentPlanItemDetails when payments are wanted)
 * -> canonical order JSON (groovy/schemas/canonical-order).
 *
 * Exchange properties (all optional):
 *   ShipToPartnerFunction   partner functions that carry the recipient, comma separated (SH,WE)
 *   PriceConditionType      item price condition (PPR0)
 *   DiscountConditionType   discount condition, header and item (DM01)
 *   TaxConditionType        tax condition (JR1)
 *   AmazonOrderTextId       header text holding an Amazon order id already created (0001)
 *   DeliveryOfferTextId     header text holding "offerId=..;previewId=..;speed=..;provider=.."
 *   DeliveryProvider, DeliverySpeed, DeliveryOfferId, DeliveryPreviewId, PrimeEligible
 *                           delivery offer when no text carries it (AMAZON, STANDARD, -, -, true)
 * Sets properties SalesOrder and ItemCount. A missing or malformed field raises an exception that
 * names it.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

import java.text.SimpleDateFormat

def Message processData(Message message) {
    def root = new JsonSlurper().parse(message.getBody(Reader))
    def order = salesOrderEntity(root)

    def config = [
        shipTo      : prop(message, 'ShipToPartnerFunction', 'SH,WE').split(',')*.trim(),
        price       : prop(message, 'PriceConditionType', 'PPR0'),
        discount    : prop(message, 'DiscountConditionType', 'DM01'),
        tax         : prop(message, 'TaxConditionType', 'JR1'),
        amazonTextId: prop(message, 'AmazonOrderTextId', '0001'),
        offerTextId : prop(message, 'DeliveryOfferTextId', ''),
    ]

    def orderId = required(order, 'SalesOrder', 'd')
    def currency = required(order, 'TransactionCurrency', 'd')
    def texts = results(order.to_Text, 'd.to_Text').collect { t ->
        [id: t.LongTextID, language: t.Language, text: t.LongText]
    }
    def items = results(order.to_Item, 'd.to_Item')
    if (items.isEmpty()) {
        throw new IllegalArgumentException("s4SalesOrderToCanonical: sales order ${orderId} has no items (d.to_Item.results is empty or not expanded)")
    }

    def headerConditions = results(order.to_PricingElement, 'd.to_PricingElement')
    def canonicalItems = []
    items.eachWithIndex { item, i -> canonicalItems << canonicalItem(item, "d.to_Item.results[${i}]", config, currency) }

    def canonical = [
        orderId              : orderId,
        orderType            : order.SalesOrderType,
        salesArea            : [
            salesOrganization  : order.SalesOrganization,
            distributionChannel: order.DistributionChannel,
            division           : order.OrganizationDivision,
        ],
        soldTo               : order.SoldToParty,
        customerReference    : blankToNull(order.PurchaseOrderByCustomer),
        orderDate            : odataDate(order.SalesOrderDate, 'd.SalesOrderDate'),
        requestedDeliveryDate: odataDate(order.RequestedDeliveryDate, 'd.RequestedDeliveryDate'),
        currency             : currency,
        deliveryBlock        : blankToNull(order.DeliveryBlockReason),
        rejectionStatus      : blankToNull(order.OverallSDDocumentRejectionSts),
        deliveryStatus       : blankToNull(order.OverallDeliveryStatus),
        shippingCondition    : blankToNull(order.ShippingCondition),
        recipient            : recipient(order, config.shipTo),
        deliveryOffer        : deliveryOffer(message, texts, config.offerTextId),
        discounts            : conditions(headerConditions, config.discount, 'd.to_PricingElement', true),
        taxes                : conditions(headerConditions, config.tax, 'd.to_PricingElement', false),
        totals               : [net: amount(order.TotalNetAmount, 'd.TotalNetAmount')],
        externalIds          : [amazonOrderId: texts.find { it.id == config.amazonTextId }?.text],
        texts                : texts,
        payments             : payments(order),
        items                : canonicalItems,
    ]

    message.setProperty('SalesOrder', orderId)
    message.setProperty('ItemCount', canonicalItems.size())
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(canonical))
    return message
}

/** The sales order: {"d": {...}} for a single read, {"d": {"results": [one]}} for a query. */
def salesOrderEntity(root) {
    if (!(root instanceof Map) || !(root.d instanceof Map)) {
        throw new IllegalArgumentException('s4SalesOrderToCanonical: expected an OData V2 JSON body {"d": {...}}; field d is missing')
    }
    def d = root.d
    if (d.containsKey('results')) {
        if (!(d.results instanceof List) || d.results.size() != 1) {
            throw new IllegalArgumentException("s4SalesOrderToCanonical: d.results must hold exactly one sales order, found ${d.results instanceof List ? d.results.size() : 'no list'}")
        }
        return d.results[0]
    }
    return d
}

def canonicalItem(Map item, String path, Map config, String currency) {
    def conditionsOfItem = results(item.to_PricingElement, "${path}.to_PricingElement")
    def quantity = decimal(required(item, 'RequestedQuantity', path), "${path}.RequestedQuantity")
    def priceCondition = conditionsOfItem.find { it.ConditionType == config.price }
    def unitPrice = null
    if (priceCondition != null) {
        def per = priceCondition.ConditionQuantity ? decimal(priceCondition.ConditionQuantity, "${path}.to_PricingElement.ConditionQuantity") : BigDecimal.ONE
        def rate = decimal(priceCondition.ConditionRateValue, "${path}.to_PricingElement.ConditionRateValue")
        unitPrice = money(per.signum() == 0 ? rate : rate.divide(per, 6, java.math.RoundingMode.HALF_UP))
    }
    return [
        itemId         : required(item, 'SalesOrderItem', path),
        sku            : required(item, 'Material', path),
        customerSku    : blankToNull(item.MaterialByCustomer),
        description    : blankToNull(item.SalesOrderItemText),
        quantity       : plain(quantity),
        unit           : required(item, 'RequestedQuantityUnit', path),
        unitPrice      : unitPrice,
        netAmount      : amount(item.NetAmount, "${path}.NetAmount"),
        currency       : item.TransactionCurrency ?: currency,
        discounts      : conditions(conditionsOfItem, config.discount, "${path}.to_PricingElement", true),
        taxes          : conditions(conditionsOfItem, config.tax, "${path}.to_PricingElement", false),
        plant          : blankToNull(item.ProductionPlant),
        storageLocation: blankToNull(item.StorageLocation),
        rejectionReason: blankToNull(item.SalesDocumentRjcnReason),
    ]
}

/** Payment plan items (card authorizations) without the card reference itself. */
def payments(Map order) {
    return results(order.to_PaymentPlanItemDetails, 'd.to_PaymentPlanItemDetails').withIndex().collect { p, i ->
        def path = "d.to_PaymentPlanItemDetails.results[${i}]"
        [
            type               : required(p, 'ElectronicPaymentType', path),
            amount             : amount(p.AuthorizedAmountInAuthznCrcy, "${path}.AuthorizedAmountInAuthznCrcy"),
            currency           : blankToNull(p.AuthorizationCurrency),
            authorizationResult: blankToNull(p.EPaytAuthorizationResult),
            provider           : blankToNull(p.PaymentServiceProvider),
        ]
    }
}

def conditions(List elements, String type, String path, boolean absolute) {
    return elements.findAll { it.ConditionType == type && it.ConditionAmount != null }.collect { c ->
        def value = decimal(c.ConditionAmount, "${path}.ConditionAmount")
        [type: type, amount: money(absolute ? value.abs() : value)]
    }
}

def recipient(Map order, List shipToFunctions) {
    def partners = results(order.to_Partner, 'd.to_Partner')
    def shipTo = shipToFunctions.findResult { f -> partners.find { it.PartnerFunction == f } }
    if (shipTo == null) {
        throw new IllegalArgumentException("s4SalesOrderToCanonical: no ship-to partner (PartnerFunction ${shipToFunctions.join(' or ')}) in d.to_Partner")
    }
    def address = shipTo.to_Address
    if (address instanceof Map && address.containsKey('results')) {
        address = address.results ? address.results[0] : null
    }
    if (!(address instanceof Map) || address.containsKey('__deferred')) {
        throw new IllegalArgumentException("s4SalesOrderToCanonical: ship-to partner ${shipTo.PartnerFunction} has no address: expand d.to_Partner/to_Address")
    }
    def path = 'd.to_Partner.to_Address'
    def country = required(address, 'Country', path)
    def street = [address.HouseNumber, address.StreetName].findAll { it }
    if (!(country in ['US', 'CA', 'AU', 'NZ', 'GB', 'IE', 'FR'])) {
        street = street.reverse()
    }
    if (!address.StreetName) {
        throw new IllegalArgumentException("s4SalesOrderToCanonical: ${path}.StreetName is required for the delivery address")
    }
    return [
        name      : blankToNull(address.AddresseeFullName) ?: required(address, 'OrganizationName1', path),
        street    : street.join(' '),
        city      : required(address, 'CityName', path),
        region    : blankToNull(address.Region),
        postalCode: required(address, 'PostalCode', path),
        country   : country,
        email     : blankToNull(address.EmailAddress),
        phone     : blankToNull(address.PhoneNumber),
        customer  : shipTo.Customer,
    ]
}

def deliveryOffer(Message message, List texts, String textId) {
    def values = [:]
    def text = textId ? texts.find { it.id == textId }?.text : null
    if (text) {
        text.split(';').each { pair ->
            def kv = pair.split('=', 2)
            if (kv.length == 2) {
                values[kv[0].trim()] = kv[1].trim()
            }
        }
    }
    def offerId = values.offerId ?: prop(message, 'DeliveryOfferId', '')
    def previewId = values.previewId ?: prop(message, 'DeliveryPreviewId', '')
    return [
        provider     : values.provider ?: prop(message, 'DeliveryProvider', 'AMAZON'),
        speed        : values.speed ?: prop(message, 'DeliverySpeed', 'STANDARD'),
        primeEligible: (values.primeEligible ?: prop(message, 'PrimeEligible', 'true')).toBoolean(),
        offerId      : offerId ?: null,
        previewId    : previewId ?: null,
    ]
}

List results(nav, String path) {
    if (nav == null) {
        return []
    }
    if (nav instanceof List) {
        return nav
    }
    if (nav instanceof Map && nav.containsKey('__deferred')) {
        return []
    }
    if (nav instanceof Map && nav.results instanceof List) {
        return nav.results
    }
    throw new IllegalArgumentException("s4SalesOrderToCanonical: ${path} must be {\"results\": [...]}")
}

def required(Map entity, String field, String path) {
    def value = entity[field]
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4SalesOrderToCanonical: ${path}.${field} is required")
    }
    return value.toString()
}

BigDecimal decimal(value, String path) {
    try {
        return new BigDecimal(value.toString().trim())
    } catch (NumberFormatException ignored) {
        throw new IllegalArgumentException("s4SalesOrderToCanonical: ${path} is not an Edm.Decimal: '${value}'")
    }
}

String amount(value, String path) {
    return value == null || value.toString().trim().isEmpty() ? null : money(decimal(value, path))
}

String money(BigDecimal value) {
    def stripped = value.stripTrailingZeros()
    return (stripped.scale() < 2 ? stripped.setScale(2) : stripped).toPlainString()
}

String plain(BigDecimal value) {
    def stripped = value.stripTrailingZeros()
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString()
}

/** Edm.DateTime as "/Date(ms)/" (or an ISO string, which Gateway also writes in some places) -> yyyy-MM-dd. */
String odataDate(value, String path) {
    if (value == null || value.toString().isEmpty()) {
        return null
    }
    def text = value.toString()
    def matcher = text =~ /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/
    if (matcher.matches()) {
        def format = new SimpleDateFormat('yyyy-MM-dd')
        format.setTimeZone(TimeZone.getTimeZone('UTC'))
        return format.format(new Date(Long.parseLong(matcher.group(1))))
    }
    if (text ==~ /^\d{4}-\d{2}-\d{2}(T.*)?$/) {
        return text.substring(0, 10)
    }
    throw new IllegalArgumentException("s4SalesOrderToCanonical: ${path} is not an Edm.DateTime: '${text}'")
}

def blankToNull(value) {
    return value == null || value.toString().trim().isEmpty() ? null : value.toString()
}

String prop(Message message, String name, String fallback) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? fallback : value.toString().trim()
}
