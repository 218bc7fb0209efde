/*
 * Buy with Prime GraphQL response -> exchange properties with a clear outcome. The body is kept.
 *
 * BwpOutcome: OK | ALREADY_EXISTS (ConflictError, or AliasValueAlreadyExists: the order exists,
 *             query it by alias) | THROTTLED (ThrottlingError or HTTP 429: retry with backoff) |
 *             VALIDATION (ValidationError: fix the data) | NOT_FOUND | ACCESS_DENIED |
 *             UNAUTHORIZED (HTTP 401: fetch a new token) | SERVER_ERROR | ERROR
 * BwpRetryable ("true"/"false"), BwpErrorType, BwpErrorCode, BwpErrorMessage, BwpErrorPath,
 * BwpErrorCount, and from data: BwpOrderId, BwpExecutionState, BwpOrder (the order object as
 * JSON, for later steps once the body has moved on), BwpCancellationId, BwpCancellationState.
 * The HTTP status comes from the header CamelHttpResponseCode.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def Message processData(Message message) {
    def status = (message.getHeader('CamelHttpResponseCode', String) ?: '200').trim().toInteger()
    def text = message.getBody(String)
    def response = null
    if (text?.trim()) {
        try {
            response = new JsonSlurper().parseText(text)
        } catch (Exception e) {
            if (status < 400) {
                throw new IllegalArgumentException("bwpReadResponse: response body is not JSON (HTTP ${status}): ${e.message}")
            }
        }
    }
    if (response != null && !(response instanceof Map)) {
        throw new IllegalArgumentException('bwpReadResponse: response body must be a JSON object with data and/or errors')
    }
    if (response == null && status < 400) {
        throw new IllegalArgumentException("bwpReadResponse: empty response body (HTTP ${status})")
    }

    def errors = response?.errors instanceof List ? response.errors : []
    def result
    if (!errors.isEmpty()) {
        result = fromError(errors[0])
    } else if (status >= 400) {
        result = fromStatus(status)
    } else if (!(response.data instanceof Map)) {
        throw new IllegalArgumentException('bwpReadResponse: response has neither data nor errors')
    } else {
        result = [outcome: 'OK', retryable: false]
    }
    if (status == 429 || status == 401) {
        result = fromStatus(status) + [message: result.message]
    }

    message.setProperty('BwpOutcome', result.outcome)
    message.setProperty('BwpRetryable', String.valueOf(result.retryable))
    message.setProperty('BwpHttpStatus', status)
    message.setProperty('BwpErrorCount', errors.size())
    setOrRemove(message, 'BwpErrorType', result.type)
    setOrRemove(message, 'BwpErrorCode', result.code)
    setOrRemove(message, 'BwpErrorMessage', result.message)
    setOrRemove(message, 'BwpErrorPath', result.path)
    readData(message, response?.data)
    return message
}

def fromError(error) {
    def classification = error?.extensions?.classification ?: [:]
    def type = classification.type ?: classification.errorType
    def code = classification.code
    def path = error?.path instanceof List ? error.path.join('.') : null
    def outcome
    def retryable = false
    if (type == 'ConflictError' || code == 'AliasValueAlreadyExists') {
        outcome = 'ALREADY_EXISTS'
    } else if (type == 'ThrottlingError') {
        outcome = 'THROTTLED'
        retryable = true
    } else if (type == 'ValidationError') {
        outcome = 'VALIDATION'
    } else if (type == 'ResourceNotFoundError') {
        outcome = 'NOT_FOUND'
    } else if (type == 'AccessDeniedError') {
        outcome = 'ACCESS_DENIED'
    } else if (type == 'InternalServerError') {
        outcome = 'SERVER_ERROR'
        retryable = true
    } else {
        outcome = 'ERROR'
    }
    def text = error?.message ?: classification.details?.message
    return [outcome: outcome, retryable: retryable, type: type, code: code, message: text, path: path]
}

def fromStatus(int status) {
    if (status == 429) {
        return [outcome: 'THROTTLED', retryable: true, code: 'HTTP_429']
    }
    if (status == 401) {
        return [outcome: 'UNAUTHORIZED', retryable: true, code: 'HTTP_401']
    }
    if (status == 403) {
        return [outcome: 'ACCESS_DENIED', retryable: false, code: 'HTTP_403']
    }
    if (status >= 500) {
        return [outcome: 'SERVER_ERROR', retryable: true, code: "HTTP_${status}".toString()]
    }
    return [outcome: 'ERROR', retryable: false, code: "HTTP_${status}".toString()]
}

def readData(Message message, data) {
    if (!(data instanceof Map)) {
        return
    }
    def order = data.createOrder?.order ?: data.updateOrder?.order ?: data.order
    if (order instanceof Map && order.id) {
        message.setProperty('BwpOrderId', order.id.toString())
        setOrRemove(message, 'BwpExecutionState', order.metadata?.executionState)
        message.setProperty('BwpOrder', JsonOutput.toJson(order))
    }
    def cancellation = data.cancelOrder?.cancellation
    if (cancellation instanceof Map) {
        setOrRemove(message, 'BwpCancellationId', cancellation.id)
        setOrRemove(message, 'BwpCancellationState', cancellation.state)
    }
}

def setOrRemove(Message message, String name, value) {
    message.setProperty(name, value == null ? null : value.toString())
}
