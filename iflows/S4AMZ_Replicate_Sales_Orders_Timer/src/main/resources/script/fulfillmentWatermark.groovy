/*
 * The watermark of the scheduled sales order scan, kept in the tenant (a data store entry, written
 * only after a run succeeded), so a restart or redeploy neither loses nor repeats work.
 *
 * readWatermark  body: what Data Store Get found (<Watermark>timestamp</Watermark>), or anything
 *   else when there is no entry yet: then InitialWatermark (ISO timestamp) or, when that is empty,
 *   now minus InitialLookbackMinutes (1440). Sets Watermark (UTC, 7 decimals, as
 *   Edm.DateTimeOffset has them), WatermarkLiteral (datetimeoffset'...') and ScanFilter, the
 *   $filter of the scan: "LastChangeDateTime gt datetimeoffset'...'" and, when AmazonOrderTypes
 *   (comma separated) is set, "and (SalesOrderType eq 'OR1' or ...)".
 * nextWatermark  body: the OData receiver's query result (<A_SalesOrder><A_SalesOrderType>
 *   <LastChangeDateTime>...). The next watermark is the newest LastChangeDateTime read, taken from
 *   S/4HANA's own clock (no skew with the tenant's). When the page was full (OrderCount =
 *   ScanPageSize) orders sharing the newest timestamp may lie beyond the page, so the next
 *   watermark stays just below it. Never moves backwards. Sets NextWatermark, OrderCount; the body
 *   is kept.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.transform.Field

import javax.xml.XMLConstants
import javax.xml.parsers.DocumentBuilderFactory
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.time.temporal.ChronoUnit
import java.util.regex.Pattern

@Field static final Pattern ODATA_DATE = Pattern.compile('^/Date\\((-?\\d+)([+-]\\d{4})?\\)/$')

def Message readWatermark(Message message) {
    def stored = values(message.getBody(String), 'Watermark')
    Instant watermark
    if (stored) {
        watermark = parse(stored[0], 'the stored watermark')
    } else {
        def initial = message.getProperty('InitialWatermark')?.toString()?.trim()
        if (initial) {
            watermark = parse(initial, 'property InitialWatermark')
        } else {
            def minutes = (message.getProperty('InitialLookbackMinutes') ?: '1440').toString().trim()
            if (!(minutes ==~ /\d+/)) {
                throw new IllegalArgumentException("fulfillmentWatermark: property InitialLookbackMinutes must be a whole number of minutes, got '${minutes}'")
            }
            watermark = Instant.now().minus(minutes.toLong(), ChronoUnit.MINUTES)
        }
    }
    def literal = "datetimeoffset'${format(watermark)}'".toString()
    def types = (message.getProperty('AmazonOrderTypes') ?: '').toString().split(',')*.trim().findAll { it }
    def filter = "LastChangeDateTime gt ${literal}"
    if (types) {
        filter += ' and (' + types.collect { "SalesOrderType eq '${it.replace("'", "''")}'" }.join(' or ') + ')'
    }
    message.setProperty('Watermark', format(watermark))
    message.setProperty('WatermarkLiteral', literal)
    message.setProperty('ScanFilter', filter.toString())
    return message
}

def Message nextWatermark(Message message) {
    def current = message.getProperty('Watermark')?.toString()
    if (!current) {
        throw new IllegalArgumentException('fulfillmentWatermark: property Watermark is missing: call readWatermark first')
    }
    def old = parse(current, 'property Watermark')
    def text = message.getBody(String)
    def seen = values(text, 'LastChangeDateTime').collect { parse(it, 'LastChangeDateTime') }
    def pageSize = (message.getProperty('ScanPageSize') ?: '0').toString().trim()
    def count = elements(text, 'A_SalesOrderType').size()
    Instant next = old
    if (seen) {
        def newest = seen.max()
        next = newest
        if (pageSize ==~ /\d+/ && pageSize.toInteger() > 0 && count >= pageSize.toInteger()) {
            def below = seen.findAll { it < newest }
            next = below ? below.max() : newest
        }
        if (next < old) {
            next = old
        }
    }
    message.setProperty('NextWatermark', format(next))
    message.setProperty('OrderCount', count)
    return message
}

/** Text of every element with that local name (none when the body is not XML). */
List<String> values(String xml, String name) {
    return elements(xml, name).collect { it.textContent?.trim() }.findAll { it }
}

List elements(String xml, String name) {
    if (!xml?.trim()?.startsWith('<')) {
        return []
    }
    def factory = DocumentBuilderFactory.newInstance()
    factory.setNamespaceAware(true)
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true)
    factory.setFeature('http://apache.org/xml/features/disallow-doctype-decl', true)
    def document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes('UTF-8')))
    def nodes = document.getElementsByTagNameNS('*', name)
    return (0..<nodes.length).collect { nodes.item(it) }
}

Instant parse(String text, String what) {
    def odata = ODATA_DATE.matcher(text)
    if (odata.matches()) {
        return Instant.ofEpochMilli(Long.parseLong(odata.group(1)))
    }
    try {
        def iso = text ==~ /.*(Z|[+-]\d{2}:\d{2})$/ ? text : text + 'Z'
        return OffsetDateTime.parse(iso).toInstant()
    } catch (Exception ignored) {
        throw new IllegalArgumentException("fulfillmentWatermark: ${what} is not a timestamp (ISO 8601 or /Date(ms)/): '${text}'")
    }
}

String format(Instant instant) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC).format(instant)
}
