/*
 * Query string of an OData V2 function import (parameters travel in the query even on POST),
 * with literals as Gateway expects: 'text' (quotes doubled), 1.50M decimals, datetime'...'.
 * Properties: S4Function (e.g. PostGoodsIssue, SetPickingQuantityWithBaseQuantity) and
 * S4FunctionParameters: a JSON object, e.g. {"DeliveryDocument": "80000000",
 * "ActualDeliveredQtyInBaseUnit": {"decimal": "0"}, "ActualGoodsMovementDate": {"datetime": "2026-01-31"}}.
 * Sets header CamelHttpQuery and property S4ResourcePath (the function name).
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def function = message.getProperty('S4Function')?.toString()?.trim()
    if (!function || !(function ==~ /[A-Za-z_][A-Za-z0-9_]*/)) {
        throw new IllegalArgumentException("s4FunctionImportQuery: property S4Function must be a function import name, got '${function}'")
    }
    def raw = message.getProperty('S4FunctionParameters')?.toString()
    if (!raw) {
        throw new IllegalArgumentException('s4FunctionImportQuery: property S4FunctionParameters (JSON object) is required')
    }
    def parameters
    try {
        parameters = new JsonSlurper().parseText(raw)
    } catch (Exception e) {
        throw new IllegalArgumentException("s4FunctionImportQuery: property S4FunctionParameters is not JSON: ${e.message}")
    }
    if (!(parameters instanceof Map)) {
        throw new IllegalArgumentException('s4FunctionImportQuery: property S4FunctionParameters must be a JSON object')
    }
    def query = parameters.collect { name, value -> "${name}=${URLEncoder.encode(literal(name.toString(), value), 'UTF-8')}" }.join('&')
    message.setHeader('CamelHttpQuery', query)
    message.setProperty('S4ResourcePath', function)
    return message
}

String literal(String name, value) {
    if (value instanceof Map) {
        if (value.decimal != null) {
            def text = value.decimal.toString()
            if (!(text ==~ /-?\d+(\.\d+)?/)) {
                throw new IllegalArgumentException("s4FunctionImportQuery: parameter ${name} is not a decimal: '${text}'")
            }
            return text + 'M'
        }
        if (value.datetime != null) {
            def text = value.datetime.toString()
            if (!(text ==~ /\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?/)) {
                throw new IllegalArgumentException("s4FunctionImportQuery: parameter ${name} is not a date or date-time: '${text}'")
            }
            return "datetime'${text.length() == 10 ? text + 'T00:00:00' : text}'"
        }
        throw new IllegalArgumentException("s4FunctionImportQuery: parameter ${name} must be a string, number, boolean, {\"decimal\"} or {\"datetime\"}")
    }
    if (value instanceof Boolean) {
        return value.toString()
    }
    if (value instanceof Number) {
        return value.toString()
    }
    if (value == null) {
        return 'null'
    }
    return "'" + value.toString().replace("'", "''") + "'"
}
