/*
 * Buy with Prime order (the `order` query of bwpPackageQuery) -> the package-delivery JSON of one
 * Amazon package (groovy/schemas/package-delivery.schema.json): the S/4HANA sales order and items
 * it delivers, its state, tracker, dates and the delivery texts. One Amazon package = one S/4HANA
 * outbound delivery.
 *
 * The package: property PackageId, else TrackingNumber (+ CarrierCode) of its tracker.
 * Aliases: SalesOrderAliasType (EXTERNAL_ID) holds the sales order number on the order;
 * LineItemAliasType (EXTERNAL_ID) holds "<sales order>-<item>" on each line (as the create flow
 * writes them).
 * Sets the body and the properties SalesOrder, BwpOrderId, PackageId, PackageMarker (the package id,
 * or a 35-character digest when longer: it is stored in a 35-character delivery field), PackageState,
 * PackageReason, CarrierCode, TrackingNumber, TrackingUrl, DeliveryDate/DeliveryTime (delivered, else
 * latest estimate), ShippedDate/ShippedTime, TextPackage, TextSummary, TextTracking, PackageItemCount,
 * PackageJson (the body, kept for later steps).
 * A response without the order, an order without the sales order alias, an unknown package or a
 * line without its alias raises IllegalArgumentException naming what is missing.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.transform.Field

import java.security.MessageDigest

@Field static final int MARKER_LENGTH = 35
@Field static final Map<String, String> STATE_WORDS = [PENDING: 'pending', IN_TRANSIT: 'in transit',
                                                      DELIVERED: 'delivered', CANCELLED: 'cancelled']

def Message processData(Message message) {
    def response = new JsonSlurper().parse(message.getBody(Reader))
    def order = response instanceof Map && response.data instanceof Map ? response.data.order : null
    if (!(order instanceof Map) || !order.id) {
        throw new IllegalArgumentException('bwpPackageDelivery: the response holds no order (data.order.id)')
    }
    def orderAliasType = prop(message, 'SalesOrderAliasType') ?: 'EXTERNAL_ID'
    def lineAliasType = prop(message, 'LineItemAliasType') ?: 'EXTERNAL_ID'
    def salesOrder = aliasOf(order.aliases, orderAliasType)
    if (!salesOrder) {
        throw new IllegalArgumentException("bwpPackageDelivery: order ${order.id} has no ${orderAliasType} alias: it was not created from an S/4HANA sales order")
    }
    if (!(salesOrder ==~ /[A-Za-z0-9]{1,10}/)) {
        throw new IllegalArgumentException("bwpPackageDelivery: order ${order.id} ${orderAliasType} alias '${salesOrder}' is not a sales order number (up to 10 letters or digits)")
    }
    def packages = (order.packageInformation?.details ?: []) as List
    def pkg = findPackage(message, order.id.toString(), packages)

    def itemOfLine = [:]
    def orderedUnits = [:]
    (order.lineItems ?: []).each { line ->
        def alias = aliasOf(line.aliases, lineAliasType)
        if (!alias) {
            throw new IllegalArgumentException("bwpPackageDelivery: line item ${line.id} of order ${order.id} has no ${lineAliasType} alias (<sales order>-<item>)")
        }
        if (!alias.startsWith(salesOrder + '-') || alias.length() == salesOrder.length() + 1) {
            throw new IllegalArgumentException("bwpPackageDelivery: line item ${line.id} alias '${alias}' does not name an item of sales order ${salesOrder} (<sales order>-<item>)")
        }
        def item = alias.substring(salesOrder.length() + 1)
        if (!(item ==~ /[A-Za-z0-9]{1,6}/)) {
            throw new IllegalArgumentException("bwpPackageDelivery: line item ${line.id} alias '${alias}' does not end in an item number (up to 6 letters or digits)")
        }
        itemOfLine[line.id.toString()] = item
        orderedUnits[item] = (orderedUnits[item] ?: 0) + units(line.amount, "line item ${line.id}")
    }

    def cancelledUnits = [:]
    packages.each { other ->
        if (other.state == 'CANCELLED') {
            linesOf(other).each { entry ->
                def item = itemFor(itemOfLine, entry, order.id)
                cancelledUnits[item] = (cancelledUnits[item] ?: 0) + units(entry.amount, "package ${other.id}")
            }
        }
    }
    def quantities = [:]
    def lineIds = [:]
    linesOf(pkg).each { entry ->
        def item = itemFor(itemOfLine, entry, order.id)
        quantities[item] = (quantities[item] ?: 0) + units(entry.amount, "package ${pkg.id}")
        lineIds[item] = entry.lineItem.id.toString()
    }
    if (quantities.isEmpty()) {
        throw new IllegalArgumentException("bwpPackageDelivery: package ${pkg.id} of order ${order.id} lists no order lines (packageInformationDetailsFor)")
    }

    def tracker = pkg.packageTracker instanceof Map ? pkg.packageTracker : [:]
    def trackingNumber = tracker.packageTrackerIdentifier?.trackingNumber?.toString()
    def carrier = tracker.packageTrackerIdentifier?.carrierCode?.toString()
    def latest = tracker.latestMilestone instanceof Map ? milestone(tracker.latestMilestone) : null
    def shipped = firstMilestone(tracker.milestones, ['IN_TRANSIT', 'INFO_RECEIVED']) ?: (pkg.state in ['IN_TRANSIT', 'DELIVERED'] ? latest?.occurredAt : null)
    def delivered = pkg.state == 'DELIVERED' ? (firstMilestone(tracker.milestones, ['DELIVERED']) ?: latest?.occurredAt) : null
    def estimate = tracker.estimatedDeliveryDate instanceof Map ? [earliest: tracker.estimatedDeliveryDate.earliest?.toString(),
                                                                     latest  : tracker.estimatedDeliveryDate.latest?.toString()] : null
    def deliveryMoment = delivered ?: estimate?.latest

    def items = quantities.collect { item, quantity -> [lineItemId: lineIds[item], salesOrderItem: item, quantity: quantity] }
    def orderItems = orderedUnits.collect { item, ordered ->
        def cancelled = cancelledUnits[item] ?: 0
        [salesOrderItem: item, orderedUnits: ordered, cancelledUnits: cancelled, activeUnits: Math.max(0, ordered - cancelled)]
    }
    def result = [
        orderId          : order.id.toString(),
        salesOrder       : salesOrder,
        packageId        : pkg.id.toString(),
        packageMarker    : marker(pkg.id.toString()),
        state            : pkg.state?.toString(),
        reason           : pkg.reason?.toString(),
        carrierCode      : carrier,
        trackingNumber   : trackingNumber,
        trackingUrl      : tracker.trackingUrl?.toString(),
        latestMilestone  : latest,
        estimatedDelivery: estimate,
        shippedAt        : shipped,
        deliveredAt      : delivered,
        deliveryDate     : datePart(deliveryMoment),
        deliveryTime     : timePart(deliveryMoment),
        shippedDate      : datePart(shipped),
        shippedTime      : timePart(shipped),
        items            : items,
        orderItems       : orderItems,
    ]
    result.texts = [package : result.packageId,
                    summary : summary(result),
                    tracking: trackingNumber ? [trackingNumber, result.trackingUrl].findAll { it }.join('\n') : null]
    def json = JsonOutput.toJson(result)
    [SalesOrder   : salesOrder, BwpOrderId: result.orderId, PackageId: result.packageId, PackageMarker: result.packageMarker,
     PackageState : result.state, PackageReason: result.reason, CarrierCode: carrier, TrackingNumber: trackingNumber,
     TrackingUrl  : result.trackingUrl, DeliveryDate: result.deliveryDate, DeliveryTime: result.deliveryTime,
     ShippedDate  : result.shippedDate, ShippedTime: result.shippedTime, TextPackage: result.texts.package,
     TextSummary  : result.texts.summary, TextTracking: result.texts.tracking, PackageItemCount: items.size(),
     PackageJson  : json].each { name, value -> message.setProperty(name, value == null ? null : value.toString()) }
    message.setHeader('Content-Type', 'application/json')
    message.setBody(json)
    return message
}

Map findPackage(Message message, String orderId, List packages) {
    def packageId = prop(message, 'PackageId')
    def tracking = prop(message, 'TrackingNumber')
    def carrier = prop(message, 'CarrierCode')
    def found
    if (packageId) {
        found = packages.find { it?.id?.toString() == packageId }
    } else if (tracking) {
        found = packages.find {
            def id = it?.packageTracker?.packageTrackerIdentifier
            id?.trackingNumber?.toString() == tracking && (!carrier || id?.carrierCode?.toString() == carrier)
        }
    } else {
        throw new IllegalArgumentException('bwpPackageDelivery: property PackageId or TrackingNumber is required to pick the package')
    }
    if (!(found instanceof Map)) {
        def known = packages.collect { it?.id }.findAll { it }.join(', ') ?: 'none'
        throw new IllegalArgumentException("bwpPackageDelivery: order ${orderId} has no package ${packageId ?: 'with tracking number ' + tracking} (packages: ${known})")
    }
    return found
}

List linesOf(Map pkg) {
    def lines = pkg.packageInformationDetailsFor?.orderLineItems
    return lines instanceof List ? lines : []
}

String itemFor(Map itemOfLine, Map entry, orderId) {
    def lineId = entry?.lineItem?.id?.toString()
    def item = lineId ? itemOfLine[lineId] : null
    if (item == null) {
        throw new IllegalArgumentException("bwpPackageDelivery: a package of order ${orderId} names line item ${lineId}, which the order does not have")
    }
    return item
}

int units(amount, String where) {
    def value = amount instanceof Map ? amount.value : null
    if (value == null || !(value.toString() ==~ /\d+(\.0+)?/)) {
        throw new IllegalArgumentException("bwpPackageDelivery: ${where}: amount.value must be a whole number of units, got '${value}'")
    }
    return new BigDecimal(value.toString()).intValue()
}

String aliasOf(aliases, String type) {
    def hit = (aliases instanceof List ? aliases : []).find { it instanceof Map && it.aliasType == type }
    return hit?.aliasId ? hit.aliasId.toString().trim() : null
}

Map milestone(Map raw) {
    def address = raw.address instanceof Map ? [raw.address.locality, raw.address.region, raw.address.country].findAll { it }.join(', ') : ''
    return [code      : raw.status?.code?.toString(),
            message   : raw.status?.message?.value?.toString(),
            occurredAt: raw.occurredAt?.toString(),
            location  : address ?: null]
}

String firstMilestone(milestones, List<String> codes) {
    def list = milestones instanceof List ? milestones : []
    for (String code : codes) {
        def hit = list.find { it instanceof Map && it.status?.code == code && it.occurredAt }
        if (hit) {
            return hit.occurredAt.toString()
        }
    }
    return null
}

String marker(String packageId) {
    if (packageId.length() <= MARKER_LENGTH) {
        return packageId
    }
    def digest = MessageDigest.getInstance('SHA-256').digest(packageId.getBytes('UTF-8'))
    return 'AMZ' + digest.encodeHex().toString().substring(0, MARKER_LENGTH - 3)
}

String datePart(String moment) {
    def match = moment =~ /^(\d{4}-\d{2}-\d{2})/
    return match.find() ? match.group(1) : null
}

String timePart(String moment) {
    def match = moment =~ /^\d{4}-\d{2}-\d{2}T(\d{2}:\d{2}:\d{2})/
    return match.find() ? match.group(1) : null
}

String summary(Map r) {
    def lines = []
    def state = STATE_WORDS[r.state] ?: (r.state ?: 'unknown').toLowerCase()
    lines << "Amazon order ${r.orderId}, package ${r.packageId}: ${state}${r.reason ? ' (' + r.reason.toLowerCase().replace('_', ' ') + ')' : ''}"
    if (r.trackingNumber) {
        lines << "Carrier ${r.carrierCode ?: 'unknown'}, tracking number ${r.trackingNumber}"
    }
    if (r.latestMilestone?.code) {
        def where = r.latestMilestone.location ? ", ${r.latestMilestone.location}" : ''
        lines << "Latest: ${r.latestMilestone.message ?: r.latestMilestone.code} (${r.latestMilestone.code}) at ${r.latestMilestone.occurredAt ?: 'unknown time'}${where}"
    }
    if (r.deliveredAt) {
        lines << "Delivered: ${r.deliveredAt}"
    } else if (r.estimatedDelivery?.latest && r.state != 'CANCELLED') {
        lines << "Estimated delivery: ${datePart(r.estimatedDelivery.earliest) ?: '?'} to ${datePart(r.estimatedDelivery.latest)}"
    }
    lines << 'Items: ' + r.items.collect { "${it.salesOrderItem} x ${it.quantity}" }.join(', ')
    return lines.join('\n')
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
