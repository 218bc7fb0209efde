/*
 * Finds the S/4HANA outbound delivery of one Amazon package, so that a replayed event never creates a
 * second delivery (API_OUTBOUND_DELIVERY_SRV;v=0002, JSON responses).
 *
 * deliveryFilter: body = A_OutbDeliveryItem query result (items referencing the sales order) ->
 *   property DeliveryFilter, a URL-encoded $filter value selecting their delivery headers
 *   ("DeliveryDocument%20eq%20'80000001'%20or%20..."), and DeliveryCount (0 = none yet).
 * processData: body = A_OutbDeliveryHeader query result with $expand=to_DeliveryDocumentItem ->
 *   DeliveryAction EXISTING (the delivery whose PackageIdField holds PackageMarker),
 *   ADOPT (a delivery without a marker whose items are exactly the package's: created by an earlier
 *   attempt that stopped before marking it), CREATE (none), or, with MatchBy=TRACKING, the delivery
 *   whose TrackingField holds TrackingNumber (NONE when there is none).
 *   Also DeliveryDocument, DeliveryGoodsIssued, DeliveryMarker, DeliverySalesOrder (the referenced
 *   sales order) and DeliveryMatchInfo (why).
 * Properties read: PackageJson (package-delivery JSON; PACKAGE mode), PackageMarker,
 *   PackageIdField (DeliveryDocumentBySupplier), TrackingField (BillOfLading), MatchBy
 *   (PACKAGE | TRACKING), TrackingNumber.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper

def Message deliveryFilter(Message message) {
    def rows = results(message, 'deliveryFilter')
    def deliveries = rows.collect { it?.DeliveryDocument?.toString()?.trim() }.findAll { it }.unique().sort()
    deliveries.each { number ->
        if (!(number ==~ /[A-Za-z0-9]{1,10}/)) {
            throw new IllegalArgumentException("s4OutboundDeliveryMatch: DeliveryDocument '${number}' is not a delivery number")
        }
    }
    message.setProperty('DeliveryCount', String.valueOf(deliveries.size()))
    message.setProperty('DeliveryFilter', deliveries.collect { "DeliveryDocument%20eq%20'${it}'" }.join('%20or%20'))
    return message
}

def Message processData(Message message) {
    def headers = results(message, 'processData')
    def markerField = prop(message, 'PackageIdField') ?: 'DeliveryDocumentBySupplier'
    def trackingField = prop(message, 'TrackingField') ?: 'BillOfLading'
    def mode = (prop(message, 'MatchBy') ?: 'PACKAGE').toUpperCase()
    def found = null
    def action
    def info
    if (mode == 'TRACKING') {
        def tracking = prop(message, 'TrackingNumber')
        if (!tracking) {
            throw new IllegalArgumentException('s4OutboundDeliveryMatch: property TrackingNumber is required with MatchBy=TRACKING')
        }
        def hits = headers.findAll { it?.get(trackingField)?.toString()?.trim() == tracking }.sort { it.DeliveryDocument.toString() }
        found = hits ? hits[0] : null
        action = found ? 'EXISTING' : 'NONE'
        info = found ? "delivery ${found.DeliveryDocument} has ${trackingField} ${tracking}" : "no delivery has ${trackingField} ${tracking}"
    } else if (mode == 'PACKAGE') {
        def pkg = packageJson(message)
        def marker = prop(message, 'PackageMarker') ?: pkg.packageMarker?.toString()
        if (!marker) {
            throw new IllegalArgumentException('s4OutboundDeliveryMatch: property PackageMarker (or packageMarker in PackageJson) is required')
        }
        def marked = headers.findAll { it?.get(markerField)?.toString()?.trim() == marker }.sort { it.DeliveryDocument.toString() }
        if (marked) {
            found = marked[0]
            action = 'EXISTING'
            info = "delivery ${found.DeliveryDocument} has ${markerField} ${marker}"
        } else {
            def wanted = quantities(pkg.items, pkg.salesOrder?.toString(), 'PackageJson.items')
            def orphans = headers.findAll { !(it?.get(markerField)?.toString()?.trim()) && sameItems(it, wanted) }
                                 .sort { it.DeliveryDocument.toString() }
            found = orphans ? orphans[0] : null
            action = found ? 'ADOPT' : 'CREATE'
            info = found ? "delivery ${found.DeliveryDocument} has no ${markerField} and exactly the package's items: adopted" :
                "no delivery of sales order ${pkg.salesOrder} belongs to package ${pkg.packageId}"
        }
    } else {
        throw new IllegalArgumentException("s4OutboundDeliveryMatch: MatchBy must be PACKAGE or TRACKING, got '${mode}'")
    }
    message.setProperty('DeliveryAction', action)
    message.setProperty('DeliveryMatchInfo', info.toString())
    message.setProperty('DeliveryDocument', found?.DeliveryDocument?.toString())
    message.setProperty('DeliveryGoodsIssued', String.valueOf(found?.OverallGoodsMovementStatus == 'C'))
    message.setProperty('DeliveryMarker', found?.get(markerField)?.toString())
    def items = found ? itemRows(found) : []
    def orders = items.collect { it?.ReferenceSDDocument?.toString() }.findAll { it }.unique()
    message.setProperty('DeliverySalesOrder', orders ? orders[0] : null)
    return message
}

List results(Message message, String function) {
    def parsed
    try {
        parsed = new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("s4OutboundDeliveryMatch.${function}: the body is not an OData JSON response: ${e.message}")
    }
    def d = parsed instanceof Map ? parsed.d : null
    if (d instanceof Map && d.results instanceof List) {
        return d.results
    }
    if (d instanceof List) {
        return d
    }
    throw new IllegalArgumentException("s4OutboundDeliveryMatch.${function}: the body must be an OData collection {\"d\": {\"results\": [...]}}")
}

Map packageJson(Message message) {
    def raw = message.getProperty('PackageJson')
    if (!raw) {
        throw new IllegalArgumentException('s4OutboundDeliveryMatch: property PackageJson (the package-delivery JSON) is required')
    }
    def pkg = new JsonSlurper().parseText(raw.toString())
    if (!(pkg instanceof Map) || !pkg.salesOrder || !(pkg.items instanceof List)) {
        throw new IllegalArgumentException('s4OutboundDeliveryMatch: PackageJson must hold salesOrder and items')
    }
    return pkg
}

List itemRows(Map header) {
    def nav = header.to_DeliveryDocumentItem
    if (nav instanceof Map && nav.results instanceof List) {
        return nav.results
    }
    return nav instanceof List ? nav : []
}

/** sales order + item (without leading zeros) -> quantity, of a package's items. */
Map quantities(items, String salesOrder, String where) {
    def out = [:]
    (items ?: []).eachWithIndex { item, i ->
        def key = "${salesOrder}/${norm(item?.salesOrderItem)}".toString()
        out[key] = (out[key] ?: BigDecimal.ZERO) + decimal(item?.quantity, "${where}[${i}].quantity")
    }
    return out
}

boolean sameItems(Map header, Map wanted) {
    def have = [:]
    itemRows(header).each { row ->
        def quantity = decimal(row?.ActualDeliveryQuantity ?: '0', "delivery ${header.DeliveryDocument} item ${row?.DeliveryDocumentItem}")
        if (quantity.signum() > 0) {
            def key = "${row?.ReferenceSDDocument}/${norm(row?.ReferenceSDDocumentItem)}".toString()
            have[key] = (have[key] ?: BigDecimal.ZERO) + quantity
        }
    }
    return have.keySet() == wanted.keySet() && wanted.every { key, value -> have[key].compareTo(value) == 0 }
}

String norm(value) {
    def text = (value ?: '').toString().trim()
    def stripped = text.replaceFirst(/^0+(?=.)/, '')
    return stripped
}

BigDecimal decimal(value, String where) {
    try {
        return new BigDecimal(value.toString().trim())
    } catch (Exception ignored) {
        throw new IllegalArgumentException("s4OutboundDeliveryMatch: ${where} is not a number: '${value}'")
    }
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
