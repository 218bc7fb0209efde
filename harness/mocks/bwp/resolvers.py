"""GraphQL root resolvers: each top-level field of ``schema.graphql`` mapped onto the backend.

graphql-core's default resolver calls ``root.<field>(info, **arguments)``; the returned dicts have
the schema's field names. Each field checks the caller's permission first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo

from harness.mocks.bwp.events import EVENT_TYPES, check_eventbridge_destination, parse_subscription
from harness.mocks.bwp.exceptions import AccessDeniedError, ConflictError, ResourceNotFoundError, ValidationError

if TYPE_CHECKING:
    from harness.mocks.bwp.responses import BwpService

#: Permission each root field needs (credentials are "full access" unless settings restrict them).
PERMISSIONS = {
    "order": "READ_ORDER", "createOrder": "EDIT_ORDER", "updateOrder": "EDIT_ORDER", "cancelOrder": "EDIT_ORDER",
    "products": "CATALOG", "product": "CATALOG", "inventoryItem": "READ_INVENTORY",
    "packageTracker": "PACKAGE_TRACKER", "eventSubscription": "EVENTS", "eventSubscriptions": "EVENTS",
    "createEventSubscription": "EVENTS", "deleteEventSubscription": "EVENTS",
}


class Root:
    """The root value of every request (one per request: it knows the caller's permissions)."""

    def __init__(self, service: "BwpService", permissions: set[str]) -> None:
        self._service = service
        self._backend = service.backend
        self._permissions = permissions

    def _allow(self, info: GraphQLResolveInfo) -> None:
        needed = PERMISSIONS[info.field_name]
        if "FULL" not in self._permissions and needed not in self._permissions:
            raise AccessDeniedError(f"The API credentials lack the {needed} permission for {info.field_name}.",
                                    "InsufficientPermissions")

    # --- queries -------------------------------------------------------------------------------------
    def order(self, info: GraphQLResolveInfo, orderIdentifier: dict[str, Any]) -> dict[str, Any]:
        self._allow(info)
        return self._backend.order_view(self._backend.find_order(orderIdentifier))

    def products(self, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None,
                 filter: dict[str, Any] | None = None) -> dict[str, Any]:  # noqa: A002 - the schema's name
        self._allow(info)
        return self._backend.list_products(first, after, (filter or {}).get("rsql"))

    def product(self, info: GraphQLResolveInfo, identifier: dict[str, Any]) -> dict[str, Any]:
        self._allow(info)
        product = self._backend.find_product(identifier)
        if product is None:
            raise ResourceNotFoundError("The product could not be found.", "ProductNotFound")
        return self._backend.product_view(product)

    def inventoryItem(self, info: GraphQLResolveInfo, inventoryItemId: str) -> dict[str, Any]:
        self._allow(info)
        return self._backend.inventory_item(inventoryItemId)

    def packageTracker(self, info: GraphQLResolveInfo, packageTrackerInput: dict[str, Any]) -> dict[str, Any]:
        self._allow(info)
        ident = packageTrackerInput["packageTrackerIdentifier"]
        return self._backend.package_tracker(ident["trackingNumber"], ident["carrierCode"])

    def eventSubscription(self, info: GraphQLResolveInfo, subscriptionId: str) -> dict[str, Any]:
        self._allow(info)
        sub = self._service.events.subscriptions.get(subscriptionId)
        if sub is None:
            raise ResourceNotFoundError(f"Subscription {subscriptionId} does not exist.", "SubscriptionNotFound")
        return _subscription_view(sub)

    def eventSubscriptions(self, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
        self._allow(info)
        return [_subscription_view(s) for s in self._service.events.subscriptions.values()]

    # --- mutations ------------------------------------------------------------------------------------
    def createOrder(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        self._allow(info)
        return {"order": self._backend.order_view(self._backend.create_order(input))}

    def updateOrder(self, info: GraphQLResolveInfo, orderIdentifier: dict[str, Any],
                    input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        self._allow(info)
        return {"order": self._backend.order_view(self._backend.update_order(orderIdentifier, input))}

    def cancelOrder(self, info: GraphQLResolveInfo, orderIdentifier: dict[str, Any],
                    input: dict[str, Any] | None = None) -> dict[str, Any]:  # noqa: A002
        self._allow(info)
        order = self._backend.find_order(orderIdentifier)
        cancellation = self._backend.cancel_order(orderIdentifier, input)
        self._service.schedule_work()
        return {"cancellation": self._backend.cancellation_view(order, cancellation)}

    def createEventSubscription(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        self._allow(info)
        event_type = input["eventType"]
        if event_type not in EVENT_TYPES:
            raise ValidationError(f"Unknown eventType {event_type}; expected one of {', '.join(EVENT_TYPES)}.",
                                  "InvalidEventType")
        destination = input["destination"]
        if (destination.get("eventBridge") is None) == (destination.get("webhook") is None):
            raise ValidationError("destination needs exactly one of eventBridge or webhook.", "InvalidDestination")
        events = self._service.events
        if destination.get("eventBridge") is not None:
            bridge = destination["eventBridge"]
            try:
                check_eventbridge_destination(bridge)
            except ValueError as exc:
                raise ValidationError(f"Invalid eventBridge destination: {exc}.", "InvalidDestination") from None
            name = bridge["partnerEventSource"]["name"]
            for sub in events.subscriptions.values():
                other = sub.destination.get("eventBridge")
                if other and other["partnerEventSource"]["name"] == name:
                    if event_type in (sub.event_types or ()):
                        raise ConflictError("A subscription for this event type and destination exists.",
                                            "SubscriptionAlreadyExists")
                    if other["partnerEventSource"]["account"] != bridge["partnerEventSource"]["account"]:
                        raise ConflictError(f"Partner event source name {name} is taken.", "DestinationNameAlreadyExists")
            sub = parse_subscription({"url": "http://eventbridge.invalid/", "form": "eventbridge",
                                      "event_types": [event_type]}, origin="graphql")
            sub.url = None  # EventBridge is out of reach: events are recorded, not posted
        else:
            hook = destination["webhook"]
            for existing in events.subscriptions.values():
                if existing.url == hook["url"] and event_type in (existing.event_types or ()):
                    raise ConflictError("A subscription for this event type and destination exists.",
                                        "SubscriptionAlreadyExists")
            try:
                sub = parse_subscription({"url": hook["url"], "form": "webhook", "event_types": [event_type]},
                                         origin="graphql")
            except ValueError as exc:
                raise ValidationError(f"Invalid webhook destination: {exc}.", "InvalidDestination") from None
        sub.destination = dict(destination)
        events.subscribe(sub)
        return {"subscriptionId": sub.subscription_id}

    def deleteEventSubscription(self, info: GraphQLResolveInfo, subscriptionId: str) -> dict[str, Any]:
        self._allow(info)
        if not self._service.events.unsubscribe(subscriptionId):
            raise ResourceNotFoundError(f"Subscription {subscriptionId} does not exist.", "SubscriptionNotFound")
        return {"subscriptionId": subscriptionId}


def _subscription_view(sub: Any) -> dict[str, Any]:
    return {"subscriptionId": sub.subscription_id, "eventType": ",".join(sub.event_types or ("*",)),
            "destinationType": "EVENT_BRIDGE" if sub.form == "eventbridge" else "WEBHOOK"}
