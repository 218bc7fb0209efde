/*
 * Plans idempotent writes of sales order header and item texts (API_SALES_ORDER_SRV), from the
 * order as S/4HANA has it now: a text that does not exist is created (POST A_SalesOrderText or
 * A_SalesOrderItemText), one with another value is patched, one that already holds the value is
 * left alone. A replayed message therefore writes nothing twice.
 *
 * Body: the order as OData V2 JSON with to_Text and to_Item/to_Text expanded.
 * Properties: SalesOrder (required), TextLanguage (EN), TextTargets (required): a JSON list of
 *   {"item": "10" (absent or null for a header text), "id": "0001", "text": "..."}.
 * Result body, for the OData V2 receiver one write at a time (split at /TextWrites/TextWrite):
 *   <TextWrites><TextWrite><Operation>CREATE|PATCH</Operation><EntitySet/><Resource/>
 *     <IfMatch/> (the text's ETag when S/4HANA sends one; texts carry none in API_SALES_ORDER_SRV)
 *     <Payload><A_SalesOrderText><A_SalesOrderTextType>...</A_SalesOrderTextType></A_SalesOrderText></Payload>
 *   </TextWrite>...</TextWrites>
 * Sets TextWriteCount and TextWriteSummary ("created 0001; patched item 10 Z001; unchanged ...").
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper
import groovy.xml.MarkupBuilder

def Message processData(Message message) {
    def salesOrder = required(message, 'SalesOrder')
    def language = (message.getProperty('TextLanguage') ?: 'EN').toString().trim()
    def targets = targets(message)
    def root = new JsonSlurper().parse(message.getBody(Reader))
    if (!(root instanceof Map) || !(root.d instanceof Map)) {
        throw new IllegalArgumentException('s4SalesOrderTextPlan: expected the sales order as OData V2 JSON {"d": {...}}; field d is missing')
    }
    def order = root.d
    if (order.SalesOrder && order.SalesOrder.toString() != salesOrder) {
        throw new IllegalArgumentException("s4SalesOrderTextPlan: the body holds sales order ${order.SalesOrder}, property SalesOrder is ${salesOrder}")
    }
    def headerTexts = results(order.to_Text, 'd.to_Text')
    def items = results(order.to_Item, 'd.to_Item').collectEntries { [(norm(it.SalesOrderItem)): it] }

    def writes = []
    def summary = []
    targets.eachWithIndex { target, i ->
        def path = "TextTargets[${i}]"
        def id = field(target, 'id', path)
        if (id.length() > 4) {
            throw new IllegalArgumentException("s4SalesOrderTextPlan: ${path}.id (LongTextID) has at most 4 characters, got '${id}'")
        }
        def text = target.text == null ? '' : target.text.toString()
        def itemNo = target.item == null || target.item.toString().trim().isEmpty() ? null : target.item.toString().trim()
        def existing
        def write
        if (itemNo == null) {
            existing = headerTexts.find { it.LongTextID == id && (it.Language ?: language) == language }
            write = [set : 'A_SalesOrderText',
                     key : "SalesOrder='${literal(salesOrder)}',Language='${literal(language)}',LongTextID='${literal(id)}'",
                     body: [SalesOrder: salesOrder, Language: language, LongTextID: id, LongText: text],
                     name: id]
        } else {
            def item = items[norm(itemNo)]
            if (item == null) {
                throw new IllegalArgumentException("s4SalesOrderTextPlan: ${path}.item ${itemNo} is not an item of sales order ${salesOrder}")
            }
            def itemKey = item.SalesOrderItem.toString()
            existing = results(item.to_Text, "d.to_Item(${itemKey}).to_Text").find { it.LongTextID == id && (it.Language ?: language) == language }
            write = [set : 'A_SalesOrderItemText',
                     key : "SalesOrder='${literal(salesOrder)}',SalesOrderItem='${literal(itemKey)}',Language='${literal(language)}',LongTextID='${literal(id)}'",
                     body: [SalesOrder: salesOrder, SalesOrderItem: itemKey, Language: language, LongTextID: id, LongText: text],
                     name: "item ${itemKey} ${id}"]
        }
        if (existing != null && (existing.LongText ?: '').toString() == text) {
            summary << "unchanged ${write.name}"
            return
        }
        write.operation = existing == null ? 'CREATE' : 'PATCH'
        write.etag = existing?.__metadata?.etag
        if (write.operation == 'PATCH') {
            write.body = [LongText: text]
        }
        writes << write
        summary << "${existing == null ? 'created' : 'patched'} ${write.name}"
    }

    def out = new StringWriter()
    def xml = new MarkupBuilder(out)
    xml.doubleQuotes = true
    xml.TextWrites {
        writes.each { w ->
            TextWrite {
                Operation(w.operation)
                EntitySet(w.set)
                Resource("${w.set}(${w.key})")
                IfMatch(w.etag ?: '')
                Payload {
                    "${w.set}" {
                        "${w.set}Type" {
                            w.body.each { k, v -> "${k}"(v) }
                        }
                    }
                }
            }
        }
    }
    message.setProperty('TextWriteCount', writes.size())
    message.setProperty('TextWriteSummary', summary.join('; '))
    message.setHeader('Content-Type', 'application/xml')
    message.setBody(out.toString())
    return message
}

List targets(Message message) {
    def raw = message.getProperty('TextTargets')
    if (raw == null || raw.toString().trim().isEmpty()) {
        throw new IllegalArgumentException('s4SalesOrderTextPlan: property TextTargets is required (a JSON list of {item, id, text})')
    }
    def parsed = new JsonSlurper().parseText(raw.toString())
    if (!(parsed instanceof List)) {
        throw new IllegalArgumentException('s4SalesOrderTextPlan: property TextTargets must be a JSON list of {item, id, text}')
    }
    return parsed
}

List results(nav, String path) {
    if (nav == null || (nav instanceof Map && nav.containsKey('__deferred'))) {
        throw new IllegalArgumentException("s4SalesOrderTextPlan: ${path} is not expanded: read the order with \$expand=to_Text,to_Item/to_Text")
    }
    if (nav instanceof List) {
        return nav
    }
    if (nav instanceof Map && nav.results instanceof List) {
        return nav.results
    }
    throw new IllegalArgumentException("s4SalesOrderTextPlan: ${path} must be {\"results\": [...]}")
}

/** Item numbers compare without leading zeros ("000010" = "10"). */
String norm(value) {
    def text = value == null ? '' : value.toString().trim()
    def stripped = text.replaceFirst('^0+(?=.)', '')
    return stripped
}

String field(Map map, String name, String path) {
    def value = map[name]
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4SalesOrderTextPlan: ${path}.${name} is required")
    }
    return value.toString().trim()
}

String literal(String value) {
    return URLEncoder.encode(value.replace("'", "''"), 'UTF-8').replace('+', '%20')
}

String required(Message message, String name) {
    def value = message.getProperty(name)
    if (value == null || value.toString().trim().isEmpty()) {
        throw new IllegalArgumentException("s4SalesOrderTextPlan: property ${name} is required")
    }
    return value.toString().trim()
}
