/*
 * One step on an outbound delivery, decided on its state as just read (API_OUTBOUND_DELIVERY_SRV;v=0002:
 * A_OutbDeliveryHeader('<n>')?$expand=to_DeliveryDocumentItem&$format=json, with its ETag header).
 * Reading right before each write is what makes the steps safe to repeat: a replay after a crash
 * finds goods issue posted and does not post it again; a 412 (stale ETag) re-reads and decides again.
 *
 * Property S4Step:
 *   HEADER       PATCH the fields that differ: PackageIdField (DeliveryDocumentBySupplier) <- PackageMarker,
 *                TrackingField (BillOfLading) <- TrackingNumber, DeliveryDate/DeliveryTime, and while goods
 *                issue is not posted PlannedGoodsIssueDate/GoodsIssueTime and PickingDate/PickingTime
 *                <- ShippedDate/ShippedTime (dates yyyy-MM-dd, times HH:mm:ss).
 *   PICK         PickAllItems unless picking is complete or goods issue posted.
 *   CONFIRM      ConfirmPickingAllItems unless confirmed or goods issue posted.
 *   GOODS_ISSUE  PostGoodsIssue unless OverallGoodsMovementStatus is C.
 *   ZERO_ITEMS   SetPickingQuantityWithBaseQuantity 0 for the next item that still has a quantity
 *                (a cancelled package), until none has; nothing once goods issue is posted.
 * Sets S4Call (PATCH | FUNCTION | SKIP), S4Function, S4FunctionQuery (OData literals), header
 * If-Match and property S4ETag, S4StepRepeat ("true": run the step again after the call), S4StepDone
 * ("true" once this call succeeds, or at once for SKIP: a Looping Process Call runs while it is not),
 * S4StepInfo (what and why, for the log), DeliveryGoodsIssued; for PATCH the body is the OData
 * receiver's XML (<A_OutbDeliveryHeader><A_OutbDeliveryHeaderType>changed fields</...></...>).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper
import groovy.xml.MarkupBuilder

import java.text.SimpleDateFormat

def Message processData(Message message) {
    def step = (prop(message, 'S4Step') ?: '').toUpperCase()
    def header = entity(message)
    def delivery = header.DeliveryDocument?.toString()
    if (!delivery) {
        throw new IllegalArgumentException('s4OutboundDeliveryStep: the delivery read holds no DeliveryDocument')
    }
    def etag = message.getHeader('ETag', String) ?: header.__metadata?.etag?.toString()
    if (!etag) {
        throw new IllegalArgumentException("s4OutboundDeliveryStep: no ETag for delivery ${delivery} (ETag header or __metadata.etag)")
    }
    def issued = header.OverallGoodsMovementStatus == 'C'
    def decision
    switch (step) {
        case 'HEADER':
            decision = headerStep(message, header, issued)
            break
        case 'PICK':
            decision = issued || header.OverallPickingStatus == 'C' ? skip("picking of ${delivery} is complete") :
                function('PickAllItems', [DeliveryDocument: delivery], "pick all items of ${delivery}")
            break
        case 'CONFIRM':
            decision = issued || header.OverallPickingConfStatus == 'C' ? skip("picking of ${delivery} is confirmed") :
                function('ConfirmPickingAllItems', [DeliveryDocument: delivery], "confirm picking of ${delivery}")
            break
        case 'GOODS_ISSUE':
            decision = issued ? skip("goods issue of ${delivery} is posted") :
                function('PostGoodsIssue', [DeliveryDocument: delivery], "post goods issue of ${delivery}")
            break
        case 'ZERO_ITEMS':
            decision = zeroStep(header, issued)
            break
        default:
            throw new IllegalArgumentException("s4OutboundDeliveryStep: S4Step must be HEADER, PICK, CONFIRM, GOODS_ISSUE or ZERO_ITEMS, got '${step}'")
    }
    message.setProperty('S4Call', decision.call)
    message.setProperty('S4Function', decision.function)
    message.setProperty('S4FunctionQuery', decision.query)
    message.setProperty('S4StepRepeat', String.valueOf(decision.repeat ?: false))
    message.setProperty('S4StepDone', String.valueOf(!(decision.repeat ?: false)))
    message.setProperty('S4StepInfo', decision.info.toString())
    message.setProperty('S4ETag', etag)
    message.setProperty('DeliveryGoodsIssued', String.valueOf(issued))
    message.setHeader('If-Match', etag)
    if (decision.body != null) {
        message.setHeader('Content-Type', 'application/xml')
        message.setBody(decision.body)
    }
    return message
}

Map headerStep(Message message, Map header, boolean issued) {
    def markerField = prop(message, 'PackageIdField') ?: 'DeliveryDocumentBySupplier'
    def trackingField = prop(message, 'TrackingField') ?: 'BillOfLading'
    def changes = [:]
    def marker = prop(message, 'PackageMarker')
    if (marker && text(header[markerField]) != marker) {
        changes[markerField] = marker
    }
    def tracking = prop(message, 'TrackingNumber')
    if (tracking && text(header[trackingField]) != tracking) {
        changes[trackingField] = tracking
    }
    dateAndTime(changes, header, 'DeliveryDate', 'DeliveryTime', prop(message, 'DeliveryDate'), prop(message, 'DeliveryTime'))
    if (!issued) {
        def shippedDate = prop(message, 'ShippedDate')
        def shippedTime = prop(message, 'ShippedTime')
        dateAndTime(changes, header, 'PlannedGoodsIssueDate', 'GoodsIssueTime', shippedDate, shippedTime)
        dateAndTime(changes, header, 'PickingDate', 'PickingTime', shippedDate, shippedTime)
    }
    if (changes.isEmpty()) {
        return skip("header of ${header.DeliveryDocument} is up to date")
    }
    def writer = new StringWriter()
    def xml = new MarkupBuilder(writer)
    xml.A_OutbDeliveryHeader {
        A_OutbDeliveryHeaderType {
            changes.each { name, value -> "${name}"(value) }
        }
    }
    return [call: 'PATCH', info: "update ${changes.keySet().join(', ')} of ${header.DeliveryDocument}", body: writer.toString()]
}

void dateAndTime(Map changes, Map header, String dateField, String timeField, String date, String time) {
    if (date) {
        if (!(date ==~ /\d{4}-\d{2}-\d{2}/)) {
            throw new IllegalArgumentException("s4OutboundDeliveryStep: ${dateField} value '${date}' is not a date (yyyy-MM-dd)")
        }
        if (odataDate(header[dateField]) != date) {
            changes[dateField] = date + 'T00:00:00'
        }
    }
    if (time) {
        def parts = time.split(':')
        if (!(time ==~ /\d{2}:\d{2}:\d{2}/)) {
            throw new IllegalArgumentException("s4OutboundDeliveryStep: ${timeField} value '${time}' is not a time (HH:mm:ss)")
        }
        if (odataTime(header[timeField]) != time) {
            changes[timeField] = "PT${parts[0]}H${parts[1]}M${parts[2]}S".toString()
        }
    }
}

Map zeroStep(Map header, boolean issued) {
    if (issued) {
        return skip("goods issue of ${header.DeliveryDocument} is posted: its quantities stay")
    }
    def rows = header.to_DeliveryDocumentItem instanceof Map ? header.to_DeliveryDocumentItem.results : header.to_DeliveryDocumentItem
    def open = (rows instanceof List ? rows : []).findAll { row ->
        try {
            return new BigDecimal((row?.ActualDeliveryQuantity ?: '0').toString()).signum() > 0
        } catch (NumberFormatException ignored) {
            throw new IllegalArgumentException("s4OutboundDeliveryStep: item ${row?.DeliveryDocumentItem} quantity is not a number: '${row?.ActualDeliveryQuantity}'")
        }
    }.sort { it.DeliveryDocumentItem.toString() }
    if (open.isEmpty()) {
        return skip("every item of ${header.DeliveryDocument} has quantity 0")
    }
    def item = open[0]
    def unit = (item.BaseUnit ?: item.DeliveryQuantityUnit ?: '').toString()
    def decision = function('SetPickingQuantityWithBaseQuantity',
                            [ActualDeliveredQtyInBaseUnit: [decimal: '0'], BaseUnit: unit,
                             DeliveryDocument: header.DeliveryDocument.toString(), DeliveryDocumentItem: item.DeliveryDocumentItem.toString()],
                            "set quantity of item ${item.DeliveryDocumentItem} of ${header.DeliveryDocument} to 0")
    decision.repeat = true
    return decision
}

Map function(String name, Map parameters, String info) {
    def query = parameters.collect { key, value ->
        def literal = value instanceof Map ? "${value.decimal}M" : "'${value.toString().replace("'", "''")}'"
        "${key}=${literal}"
    }.join('&')
    return [call: 'FUNCTION', function: name, query: query, info: info]
}

Map skip(String info) {
    return [call: 'SKIP', info: info]
}

Map entity(Message message) {
    def parsed
    try {
        parsed = new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("s4OutboundDeliveryStep: the delivery read is not OData JSON: ${e.message}")
    }
    if (!(parsed instanceof Map) || !(parsed.d instanceof Map)) {
        throw new IllegalArgumentException('s4OutboundDeliveryStep: the delivery read must be {"d": {...}}')
    }
    return parsed.d
}

String odataDate(value) {
    def match = (value ?: '').toString() =~ /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/
    if (match.matches()) {
        def format = new SimpleDateFormat('yyyy-MM-dd')
        format.setTimeZone(TimeZone.getTimeZone('UTC'))
        return format.format(new Date(Long.parseLong(match.group(1))))
    }
    def iso = (value ?: '').toString() =~ /^(\d{4}-\d{2}-\d{2})/
    return iso.find() ? iso.group(1) : null
}

String odataTime(value) {
    def match = (value ?: '').toString() =~ /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/
    if (!match.matches()) {
        return null
    }
    return [match.group(1), match.group(2), match.group(3)].collect { (it ?: '0').toInteger() }
        .collect { String.format('%02d', it) }.join(':')
}

String text(value) {
    return value == null ? '' : value.toString().trim()
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
