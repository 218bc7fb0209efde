/*
 * Buy with Prime event intake: an EventBridge envelope, or the bare `detail` a webhook receives
 * -> canonical event JSON (groovy/schemas/canonical-event.schema.json) and routing properties.
 *
 * - event name from detail.eventDescriptor (else the envelope's detail-type); deprecated names
 *   are mapped to their current ones (DELIVERY_COMPLETED -> PACKAGE_DELIVERED, ...).
 * - idempotency key: detail.idempotencyKey, else detail.eventId, else the EventBridge id.
 * - resources are parsed into ids: businessProduct, order, delivery, return, refund, carrier,
 *   tracker, item-quantities.
 * Properties: EventType, EventCategory, EventKnown, EventDeprecated, IdempotencyKey, BwpOrderId,
 * DeliveryId, ReturnId, RefundId, CarrierCode, TrackingNumber, InventoryItemId (when present).
 * An unknown event name is kept (EventKnown=false) so a router can park it; a body that is not JSON
 * or not an event raises IllegalArgumentException naming the missing field.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.transform.Field

@Field static final Map<String, String> CATEGORY = [
    BUYABILITY_CHANGED                  : 'BUYABILITY',
    INVENTORY_CHANGED                   : 'INVENTORY',
    PACKAGE_DELIVERED                   : 'DELIVERY',
    PACKAGE_DELIVERY_CANCELLED          : 'DELIVERY',
    PACKAGE_DELIVERY_IN_TRANSIT         : 'DELIVERY',
    PACKAGE_TRACKER_MILESTONE_CHANGED   : 'TRACKER',
    PERSONAL_DATA_DELETION_TASK_COMPLETED : 'PERSONAL_DATA',
    PERSONAL_DATA_DELETION_TASK_FAILED    : 'PERSONAL_DATA',
    PERSONAL_DATA_RETRIEVAL_TASK_COMPLETED: 'PERSONAL_DATA',
    PERSONAL_DATA_RETRIEVAL_TASK_FAILED   : 'PERSONAL_DATA',
    REFUND_REQUESTED                    : 'REFUND',
    REFUND_COMPLETED                    : 'REFUND',
    RETURN_STARTED                      : 'RETURN',
    RETURN_PACKAGE_IN_TRANSIT           : 'RETURN',
    RETURN_PACKAGE_DELIVERED            : 'RETURN',
    RETURN_PACKAGE_DELIVERY_FAILED      : 'RETURN',
    RETURN_ITEM_GRADED                  : 'RETURN',
    RETURN_COMPLETED                    : 'RETURN',
]

/** Names deprecated in December 2024 (and the v2024-01-01 ITEM_* names) -> current names. */
@Field static final Map<String, String> DEPRECATED = [
    DELIVERY_IN_TRANSIT       : 'PACKAGE_DELIVERY_IN_TRANSIT',
    DELIVERY_COMPLETED        : 'PACKAGE_DELIVERED',
    DELIVERY_CANCELLED        : 'PACKAGE_DELIVERY_CANCELLED',
    RETURN_DELIVERY_IN_TRANSIT: 'RETURN_PACKAGE_IN_TRANSIT',
    RETURN_DELIVERY_COMPLETED : 'RETURN_PACKAGE_DELIVERED',
    RETURN_DELIVERY_FAILED    : 'RETURN_PACKAGE_DELIVERY_FAILED',
    ITEM_IN_TRANSIT           : 'PACKAGE_DELIVERY_IN_TRANSIT',
    ITEM_DELIVERED            : 'PACKAGE_DELIVERED',
    ITEM_CANCELLED            : 'PACKAGE_DELIVERY_CANCELLED',
]

/** Resource path segment -> canonical resource field. */
@Field static final Map<String, String> SEGMENTS = [
    businessProduct  : 'businessProductId',
    order            : 'orderId',
    delivery         : 'deliveryId',
    'return'         : 'returnId',
    refund           : 'refundId',
    carrier          : 'carrierCode',
    tracker          : 'trackingNumber',
    'item-quantities': 'inventoryItemId',
]

@Field static final Map<String, String> PROPERTY_OF = [
    orderId        : 'BwpOrderId',
    deliveryId     : 'DeliveryId',
    returnId       : 'ReturnId',
    refundId       : 'RefundId',
    carrierCode    : 'CarrierCode',
    trackingNumber : 'TrackingNumber',
    inventoryItemId: 'InventoryItemId',
]

def Message processData(Message message) {
    def body
    try {
        body = new JsonSlurper().parse(message.getBody(Reader))
    } catch (Exception e) {
        throw new IllegalArgumentException("bwpEventIntake: the body is not JSON: ${e.message?.readLines()?.find { it?.trim() } ?: e.class.simpleName}")
    }
    if (!(body instanceof Map)) {
        throw new IllegalArgumentException('bwpEventIntake: body must be a JSON object (EventBridge envelope or webhook detail)')
    }
    def envelope = body.containsKey('detail-type') || body.containsKey('detail') ? body : null
    def detail = envelope != null ? (envelope.detail instanceof Map ? envelope.detail : [:]) : body

    def received = detail.eventDescriptor ?: envelope?.get('detail-type')
    if (!received) {
        throw new IllegalArgumentException('bwpEventIntake: event name missing: detail.eventDescriptor (webhook) or detail-type (EventBridge) is required')
    }
    received = received.toString()
    def current = DEPRECATED[received] ?: received
    def key = detail.idempotencyKey ?: detail.eventId ?: envelope?.id
    if (!key) {
        throw new IllegalArgumentException('bwpEventIntake: no idempotency key: detail.idempotencyKey, detail.eventId or the EventBridge id is required')
    }
    def resources = detail.resources ?: envelope?.resources
    if (!(resources instanceof List) || resources.isEmpty()) {
        throw new IllegalArgumentException('bwpEventIntake: resources must be a non-empty list of resource paths')
    }
    def resource = parseResource(resources[0].toString())

    def event = [
        eventId          : (detail.eventId ?: envelope?.id)?.toString(),
        idempotencyKey   : key.toString(),
        eventType        : current,
        receivedEventType: received,
        deprecated       : DEPRECATED.containsKey(received),
        known            : CATEGORY.containsKey(current),
        category         : CATEGORY[current] ?: 'UNKNOWN',
        apiVersion       : detail.apiVersion?.toString(),
        occurredAt       : (detail.eventTime ?: envelope?.time)?.toString(),
        subscriptionId   : detail.subscriptionId?.toString(),
        channel          : envelope != null ? 'eventbridge' : 'webhook',
        source           : envelope?.source?.toString(),
        resource         : resource,
        resources        : resources.collect { it.toString() },
        data             : detail.data instanceof Map ? detail.data : [:],
    ]

    message.setProperty('EventType', current)
    message.setProperty('EventCategory', event.category)
    message.setProperty('EventKnown', String.valueOf(event.known))
    message.setProperty('EventDeprecated', String.valueOf(event.deprecated))
    message.setProperty('IdempotencyKey', event.idempotencyKey)
    PROPERTY_OF.each { field, property ->
        message.setProperty(property, resource[field])
    }
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson(event))
    return message
}

Map parseResource(String path) {
    def parts = path.split('/').findAll { it }
    if (parts.size() < 2 || parts.size() % 2 != 0) {
        throw new IllegalArgumentException("bwpEventIntake: resources[0] is not a resource path of name/id pairs: '${path}'")
    }
    def out = [path: path]
    for (int i = 0; i < parts.size(); i += 2) {
        def field = SEGMENTS[parts[i]]
        if (field == null) {
            throw new IllegalArgumentException("bwpEventIntake: resources[0] has an unknown segment '${parts[i]}' in '${path}'")
        }
        out[field] = URLDecoder.decode(parts[i + 1], 'UTF-8')
    }
    return out
}
