/*
 * Classifies the exception an exception subprocess caught (CamelExceptionCaught: the exception
 * object on a tenant, its "class: message" text where only text is available) and prepares the
 * parking record.
 *
 * FailureClass:
 *   PERMANENT  java.lang.IllegalArgumentException: by the library's convention a script found this
 *              message's data wrong (unknown material, missing address, invalid quantity, Amazon
 *              rejected the order's data). Retrying cannot help: park it and go on.
 *   TRANSIENT  anything else (HTTP and OData failures, timeouts, throttling, token and
 *              configuration errors): fail the message so its queue retries it with backoff and,
 *              after the retry budget, moves it to the dead-letter queue.
 * FailureReason: "sales order <SalesOrder>: <the exception message>" (the class name dropped).
 * FailureStatusCode: the HTTP status of a receiver failure, when the exception carries one.
 * Body (PERMANENT only): the parking record {"salesOrder", "reason", "exception", "source",
 * "request"}, request = property OriginalRequest (the message as it arrived).
 *
 * raiseReview: throws the IllegalArgumentException that parks an order a person has to look at
 * (FulfillmentAction REVIEW), with FulfillmentReason as its message.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput

def Message raiseReview(Message message) {
    def reason = message.getProperty('FulfillmentReason')?.toString()
    throw new IllegalArgumentException("fulfillmentDecision: ${reason ?: 'the order needs a review (no FulfillmentReason given)'}")
}

def Message processData(Message message) {
    def caught = message.getProperty('CamelExceptionCaught')
    def className
    def text
    if (caught instanceof Throwable) {
        className = caught.getClass().getName()
        text = caught.getMessage() ?: ''
        if (caught.metaClass.respondsTo(caught, 'getStatusCode')) {
            message.setProperty('FailureStatusCode', String.valueOf(caught.getStatusCode()))
        }
    } else {
        def raw = caught == null ? '' : caught.toString()
        def matcher = raw =~ /^([\w$.]+(?:Exception|Error|Fault)):\s?(?s)(.*)$/
        className = matcher.matches() ? matcher.group(1) : 'unknown'
        text = matcher.matches() ? matcher.group(2) : raw
    }
    def order = message.getProperty('SalesOrder')?.toString()
    def prefix = order ? "sales order ${order}: " : ''
    def reason = "${prefix}${text ?: className}".toString()
    def permanent = className == 'java.lang.IllegalArgumentException'
    message.setProperty('FailureClass', permanent ? 'PERMANENT' : 'TRANSIENT')
    message.setProperty('FailureReason', reason)
    message.setProperty('FailureException', className)
    if (permanent) {
        message.setProperty('SAP_MessageProcessingLogCustomStatus', 'Parked')
        message.setHeader('Content-Type', 'application/json')
        message.setBody(JsonOutput.toJson([
            salesOrder: order,
            reason    : reason,
            exception : className,
            source    : message.getProperty('Source')?.toString(),
            request   : message.getProperty('OriginalRequest')?.toString(),
        ]))
    }
    def log = messageLogFactory.getMessageLog(message)
    if (log != null) {
        log.addCustomHeaderProperty('FailureClass', permanent ? 'PERMANENT' : 'TRANSIENT')
        log.setStringProperty('FailureReason', reason.take(500))
    }
    return message
}
