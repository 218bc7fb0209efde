/*
 * A_BillingDocument query result (API_BILLING_DOCUMENT_SRV JSON) -> refund status list:
 * [{"billingDocument", "type", "date", "cancelled", "netAmount", "taxAmount", "grossAmount",
 *   "currency", "clearingStatus", "refundState"}].
 * refundState maps InvoiceClearingStatus through the value mapping
 *   S4HANA / InvoiceClearingStatus / <A>  <->  BuyWithPrime / RefundState / <PENDING>
 * and falls back to SAP's accelerator's mapping: A -> PENDING, C -> SUCCESS, blank -> REJECTED.
 * A cancelled billing document is REJECTED. Sets BillingDocumentCount.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.transform.Field

import java.text.SimpleDateFormat

@Field static final Map<String, String> DEFAULT_STATE = [A: 'PENDING', C: 'SUCCESS', '': 'REJECTED']

def Message processData(Message message) {
    def root = new JsonSlurper().parse(message.getBody(Reader))
    def rows = root instanceof Map && root.d instanceof Map ? (root.d.results instanceof List ? root.d.results : [root.d]) : null
    if (rows == null) {
        throw new IllegalArgumentException('s4BillingDocumentReader: expected an OData V2 JSON body {"d": {"results": [...]}}')
    }
    def mapping = ITApiFactory.getService(ValueMappingApi, null)
    def out = rows.withIndex().collect { row, i ->
        def path = "d.results[${i}]"
        if (!row.BillingDocument) {
            throw new IllegalArgumentException("s4BillingDocumentReader: ${path}.BillingDocument is required")
        }
        def clearing = (row.InvoiceClearingStatus ?: '').toString()
        def cancelled = row.BillingDocumentIsCancelled == true
        def state = cancelled ? 'REJECTED'
                : (mapping.getMappedValue('S4HANA', 'InvoiceClearingStatus', clearing, 'BuyWithPrime', 'RefundState') ?: DEFAULT_STATE[clearing] ?: 'PENDING')
        [billingDocument: row.BillingDocument.toString(),
         type           : row.BillingDocumentType,
         date           : odataDate(row.BillingDocumentDate, "${path}.BillingDocumentDate"),
         cancelled      : cancelled,
         netAmount      : row.TotalNetAmount,
         taxAmount      : row.TaxAmount,
         grossAmount    : row.TotalGrossAmount,
         currency       : row.TransactionCurrency,
         clearingStatus : clearing,
         refundState    : state]
    }
    message.setProperty('BillingDocumentCount', out.size())
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(out))
    return message
}

String odataDate(value, String path) {
    if (value == null) {
        return null
    }
    def matcher = value.toString() =~ /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/
    if (!matcher.matches()) {
        throw new IllegalArgumentException("s4BillingDocumentReader: ${path} is not an Edm.DateTime: '${value}'")
    }
    def format = new SimpleDateFormat('yyyy-MM-dd')
    format.setTimeZone(TimeZone.getTimeZone('UTC'))
    return format.format(new Date(Long.parseLong(matcher.group(1))))
}
