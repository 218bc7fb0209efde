/*
 * Turns the outcome s4ReadResponse found into the exception that makes the message do the right
 * thing, or lets it pass (the S/4HANA twin of bwpCheckOutcome).
 *
 * Passes when S4Outcome is one of S4AcceptOutcomes (comma separated, default OK). Otherwise throws,
 * naming the operation (S4Operation, e.g. "read sales order"), the sales order (SalesOrder), the
 * HTTP status and S/4HANA's error code and message:
 *   - IllegalArgumentException for NOT_FOUND and VALIDATION: this message's data does not fit
 *     S/4HANA (the order does not exist, a value is refused); retrying cannot help;
 *   - IllegalStateException for everything else (429, 5xx, CSRF, precondition, logon): the queue
 *     retries the message with backoff.
 */
import com.sap.gateway.ip.core.customdev.util.Message

def Message processData(Message message) {
    def outcome = prop(message, 'S4Outcome')
    if (outcome == null) {
        throw new IllegalStateException('s4CheckOutcome: property S4Outcome is missing: run s4ReadResponse on the response first')
    }
    def accepted = (prop(message, 'S4AcceptOutcomes') ?: 'OK').split(',')*.trim()
    if (outcome in accepted) {
        return message
    }
    def operation = prop(message, 'S4Operation') ?: 'request'
    def order = prop(message, 'SalesOrder')
    def subject = "S/4HANA ${operation}" + (order ? " for sales order ${order}" : '')
    def code = prop(message, 'S4ErrorCode')
    def text = prop(message, 'S4ErrorMessage') ?: ''
    def reason = "${outcome} (HTTP ${prop(message, 'S4HttpStatus') ?: '?'}${code ? ', ' + code : ''})${text ? ': ' + text : ''}"
    if (outcome in ['NOT_FOUND', 'VALIDATION']) {
        throw new IllegalArgumentException("s4CheckOutcome: ${subject} was refused: ${reason}")
    }
    throw new IllegalStateException("s4CheckOutcome: ${subject} failed: ${reason}; the message is retried")
}

String prop(Message message, String name) {
    def value = message.getProperty(name)
    return value == null || value.toString().trim().isEmpty() ? null : value.toString().trim()
}
