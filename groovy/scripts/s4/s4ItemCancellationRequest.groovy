/*
 * A cancelled Amazon package -> the next S/4HANA sales order item change (API_SALES_ORDER_SRV,
 * A_SalesOrderItem PATCH), decided on the items as just read
 * (A_SalesOrder('<n>')/to_Item?$format=json), so repeating it changes nothing twice.
 *
 * For each sales order item of the package (PackageJson.items), the target is the units of that item
 * that Amazon still delivers (PackageJson.orderItems[].activeUnits: ordered minus cancelled packages):
 *   0 units left          -> reject the item (SalesDocumentRjcnReason), unless it is rejected already;
 *   fewer than in S/4     -> reduce RequestedQuantity to the units left;
 *   otherwise             -> nothing.
 * The rejection reason is the value mapping BuyWithPrime/PackageCancellationReason ->
 * S4HANA/SalesDocumentRjcnReason of the package's reason (UNFULFILLABLE, CUSTOMER_REQUESTED,
 * UNDELIVERABLE), else property DefaultRejectionReason.
 * Sets S4Call (PATCH | SKIP), SalesOrderItem, RejectionReason, S4StepInfo, S4StepRepeat ("true":
 * read and decide again after the PATCH), S4StepDone ("true" when nothing is left); for PATCH the
 * body is the OData receiver's XML (<A_SalesOrderItem><A_SalesOrderItemType>SalesDocumentRjcnReason | RequestedQuantity</...>).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
import groovy.json.JsonSlurper
import groovy.xml.MarkupBuilder

def Message processData(Message message) {
    def pkg = packageJson(message)
    def rows = items(message)
    def reason = rejectionReason(message, pkg.reason?.toString())
    message.setProperty('RejectionReason', reason)
    def affected = (pkg.items ?: []).collect { norm(it?.salesOrderItem) }.findAll { it } as Set
    def targets = [:]
    (pkg.orderItems ?: []).each { targets[norm(it?.salesOrderItem)] = it?.activeUnits }
    for (String item : affected.sort()) {
        def row = rows.find { norm(it?.SalesOrderItem) == item }
        if (row == null) {
            throw new IllegalArgumentException("s4ItemCancellationRequest: sales order ${pkg.salesOrder} has no item ${item} (named by Amazon package ${pkg.packageId})")
        }
        if (row.SalesDocumentRjcnReason) {
            continue
        }
        def target = targets[item]
        if (target == null) {
            throw new IllegalArgumentException("s4ItemCancellationRequest: PackageJson.orderItems has no entry for item ${item}")
        }
        def wanted = new BigDecimal(target.toString())
        def current = decimal(row.RequestedQuantity, "item ${item} RequestedQuantity")
        if (wanted.signum() == 0) {
            if (!reason) {
                throw new IllegalArgumentException("s4ItemCancellationRequest: no rejection reason for Amazon reason '${pkg.reason}' (value mapping or DefaultRejectionReason)")
            }
            return patch(message, row, [SalesDocumentRjcnReason: reason], "reject item ${item} of ${pkg.salesOrder} with reason ${reason}")
        }
        if (wanted < current) {
            return patch(message, row, [RequestedQuantity: wanted.setScale(3).toPlainString()],
                         "reduce item ${item} of ${pkg.salesOrder} from ${current.stripTrailingZeros().toPlainString()} to ${wanted.toPlainString()}")
        }
    }
    message.setProperty('S4Call', 'SKIP')
    message.setProperty('S4StepRepeat', 'false')
    message.setProperty('S4StepDone', 'true')
    message.setProperty('S4StepInfo', "sales order ${pkg.salesOrder}: the items of package ${pkg.packageId} are rejected or reduced".toString())
    return message
}

Message patch(Message message, Map row, Map fields, String info) {
    def writer = new StringWriter()
    def xml = new MarkupBuilder(writer)
    xml.A_SalesOrderItem {
        A_SalesOrderItemType {
            fields.each { name, value -> "${name}"(value) }
        }
    }
    message.setProperty('S4Call', 'PATCH')
    message.setProperty('S4StepRepeat', 'true')
    message.setProperty('S4StepDone', 'false')
    message.setProperty('SalesOrderItem', row.SalesOrderItem.toString())
    message.setProperty('S4StepInfo', info)
    message.setHeader('Content-Type', 'application/xml')
    message.setBody(writer.toString())
    return message
}

String rejectionReason(Message message, String amazonReason) {
    def mapped = null
    if (amazonReason) {
        def api = ITApiFactory.getService(ValueMappingApi, null)
        mapped = api?.getMappedValue('BuyWithPrime', 'PackageCancellationReason', amazonReason, 'S4HANA', 'SalesDocumentRjcnReason')
    }
    def fallback = message.getProperty('DefaultRejectionReason')?.toString()?.trim()
    return mapped ?: (fallback ?: null)
}

Map packageJson(Message message) {
    def raw = message.getProperty('PackageJson')
    if (!raw) {
        throw new IllegalArgumentException('s4ItemCancellationRequest: property PackageJson (the package-delivery JSON) is required')
    }
    def pkg = new JsonSlurper().parseText(raw.toString())
    if (!(pkg instanceof Map) || !pkg.salesOrder || !(pkg.items instanceof List)) {
        throw new IllegalArgumentException('s4ItemCancellationRequest: PackageJson must hold salesOrder and items')
    }
    return pkg
}

List items(Message message) {
    def parsed
    try {
        parsed = new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("s4ItemCancellationRequest: the sales order items are not OData JSON: ${e.message}")
    }
    def d = parsed instanceof Map ? parsed.d : null
    def rows = d instanceof Map ? d.results : d
    if (!(rows instanceof List)) {
        throw new IllegalArgumentException('s4ItemCancellationRequest: the body must be an OData collection of A_SalesOrderItem')
    }
    return rows
}

String norm(value) {
    return (value ?: '').toString().trim().replaceFirst(/^0+(?=.)/, '')
}

BigDecimal decimal(value, String where) {
    try {
        return new BigDecimal(value.toString().trim())
    } catch (Exception ignored) {
        throw new IllegalArgumentException("s4ItemCancellationRequest: ${where} is not a number: '${value}'")
    }
}
