/*
 * FBA inventory (SP-API getInventorySummaries response, details=true) compared with the S/4HANA
 * stock of the Amazon storage location -> canonical stock adjustment for
 * s4MaterialDocumentRequest: {"plant", "storageLocation", "lines": [{"sku", "delta", "unit",
 * "amazonQuantity", "s4Quantity"}]} (only SKUs whose quantities differ).
 *
 * Amazon's quantity is inventoryDetails.fulfillableQuantity (totalQuantity when the details are
 * missing). The S/4 stock comes from the property S4Stock (the JSON s4MaterialStockReader writes);
 * without it every SKU is compared with zero. A SKU is mapped to a material through the value
 * mapping Amazon / SellerSKU <-> S4HANA / Material when the property MapSkus is "true".
 * Properties: Plant (1710), StorageLocation (171A), DefaultUnit (PC).
 * Sets InventorySkuCount, StockAdjustmentCount. Written for large payloads: the input is read
 * from a Reader and the output streamed with StreamingJsonBuilder.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
import groovy.json.JsonSlurper
import groovy.json.StreamingJsonBuilder

def Message processData(Message message) {
    def response = new JsonSlurper().parse(message.getBody(Reader))
    def summaries = response instanceof Map ? response.payload?.inventorySummaries : null
    if (!(summaries instanceof List)) {
        throw new IllegalArgumentException('fbaInventoryToStockAdjustment: payload.inventorySummaries (list) is required')
    }
    def s4 = s4Stock(message)
    def unit = (message.getProperty('DefaultUnit') ?: 'PC').toString()
    def mapSkus = 'true'.equalsIgnoreCase(String.valueOf(message.getProperty('MapSkus')))
    def mapping = mapSkus ? ITApiFactory.getService(ValueMappingApi, null) : null

    def writer = new StringWriter(summaries.size() * 96 + 128)
    def count = 0
    def plantId = (message.getProperty('Plant') ?: '1710').toString()
    def locationId = (message.getProperty('StorageLocation') ?: '171A').toString()
    new StreamingJsonBuilder(writer).call {
        plant plantId
        storageLocation locationId
        lines(summaries.withIndex().findResults { summary, i ->
            def sellerSku = summary.sellerSku
            if (!sellerSku) {
                throw new IllegalArgumentException("fbaInventoryToStockAdjustment: payload.inventorySummaries[${i}].sellerSku is required")
            }
            def sku = mapSkus ? (mapping.getMappedValue('Amazon', 'SellerSKU', sellerSku, 'S4HANA', 'Material') ?: sellerSku) : sellerSku
            def quantity = summary.inventoryDetails?.fulfillableQuantity
            if (quantity == null) {
                quantity = summary.totalQuantity
            }
            if (!(quantity instanceof Number)) {
                throw new IllegalArgumentException("fbaInventoryToStockAdjustment: payload.inventorySummaries[${i}] has no fulfillableQuantity or totalQuantity")
            }
            def amazon = new BigDecimal(quantity.toString())
            def current = s4[sku]
            def inS4 = current == null ? BigDecimal.ZERO : current.quantity
            def delta = amazon - inS4
            if (delta.signum() == 0) {
                return null
            }
            count++
            [sku: sku, delta: delta.toPlainString(), unit: current?.unit ?: unit,
             amazonQuantity: amazon.toPlainString(), s4Quantity: inS4.toPlainString()]
        })
    }
    message.setProperty('InventorySkuCount', summaries.size())
    message.setProperty('StockAdjustmentCount', count)
    message.setHeader('Content-Type', 'application/json')
    message.setBody(writer.toString())
    return message
}

Map s4Stock(Message message) {
    def raw = message.getProperty('S4Stock')
    if (!raw) {
        return [:]
    }
    def parsed
    try {
        parsed = new JsonSlurper().parseText(raw.toString())
    } catch (Exception e) {
        throw new IllegalArgumentException("fbaInventoryToStockAdjustment: property S4Stock is not JSON: ${e.message}")
    }
    if (!(parsed instanceof Map) || !(parsed.stock instanceof List)) {
        throw new IllegalArgumentException('fbaInventoryToStockAdjustment: property S4Stock must be {"stock": [{"sku", "quantity", "unit"}]}')
    }
    def out = new HashMap<String, Map>(parsed.stock.size() * 2)
    parsed.stock.each { row ->
        out[row.sku.toString()] = [quantity: new BigDecimal(row.quantity.toString()), unit: row.unit]
    }
    return out
}
