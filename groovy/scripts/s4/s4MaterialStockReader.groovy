/*
 * A_MatlStkInAcctMod query result (API_MATERIAL_STOCK_SRV) -> stock per material, summed over
 * the rows (one row per key combination): {"stock": [{"sku", "quantity", "unit"}]}.
 * MatlWrhsStkQtyInMatlBaseUnit is an Edm.Decimal with scale 14 ("12.00000000000000").
 * Sets StockMaterialCount.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def root = new JsonSlurper().parse(message.getBody(Reader))
    if (!(root instanceof Map) || !(root.d instanceof Map) || !(root.d.results instanceof List)) {
        throw new IllegalArgumentException('s4MaterialStockReader: expected an OData V2 JSON collection {"d": {"results": [...]}}')
    }
    def totals = new LinkedHashMap<String, BigDecimal>()
    def units = [:]
    root.d.results.eachWithIndex { row, i ->
        def path = "d.results[${i}]"
        if (!row.Material) {
            throw new IllegalArgumentException("s4MaterialStockReader: ${path}.Material is required")
        }
        def quantity
        try {
            quantity = new BigDecimal((row.MatlWrhsStkQtyInMatlBaseUnit ?: '0').toString())
        } catch (NumberFormatException ignored) {
            throw new IllegalArgumentException("s4MaterialStockReader: ${path}.MatlWrhsStkQtyInMatlBaseUnit is not an Edm.Decimal: '${row.MatlWrhsStkQtyInMatlBaseUnit}'")
        }
        def material = row.Material.toString()
        totals[material] = (totals[material] ?: BigDecimal.ZERO) + quantity
        units[material] = row.MaterialBaseUnit
    }
    def stock = totals.collect { material, quantity ->
        def stripped = quantity.stripTrailingZeros()
        [sku: material, quantity: (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString(), unit: units[material]]
    }
    message.setProperty('StockMaterialCount', stock.size())
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([stock: stock]))
    return message
}
