"""The collaboration (iFlow configuration), integration processes and exception subprocesses."""

from __future__ import annotations

from generator.components.base import Component, Field


class IFlowConfiguration(Component):
    """The iFlow's own settings, on ``bpmn2:collaboration`` (IFC 1.2.4 with the CORS keys)."""

    ctype = "IFlowVariant"
    cname = "IFlowConfiguration"
    version = "1.2.4"
    keys = ("namespaceMapping", "httpSessionHandling", "accessControlMaxAge",
            "returnExceptionToSender", "log", "corsEnabled", "exposedHeaders", "componentVersion",
            "allowedHeaderList", "ServerTrace", "allowedOrigins", "accessControlAllowCredentials",
            "allowedHeaders", "allowedMethods", "cmdVariantUri")
    fields = (
        Field("namespaceMapping", "namespaces", doc="filled from the module's namespaces"),
        Field("httpSessionHandling", "session", "None", "choice",
              ("None", "onExchange", "onIntegrationFlow")),
        Field("returnExceptionToSender", "return_exception", "false", "boolean"),
        Field("allowedHeaderList", "allowed_headers", doc="headers kept from the sender, |-separated"),
    )
    fixed = {"accessControlMaxAge": "", "log": "All events", "corsEnabled": "false",
             "exposedHeaders": "", "ServerTrace": "false", "allowedOrigins": "",
             "accessControlAllowCredentials": "false", "allowedHeaders": "", "allowedMethods": ""}


class IntegrationProcess(Component):
    """The main process of an iFlow."""

    ctype = "FlowElementVariant"
    cname = "IntegrationProcess"
    version = "1.2.1"
    keys = ("transactionTimeout", "componentVersion", "cmdVariantUri", "transactionalHandling")
    fields = (
        Field("transactionTimeout", "transaction_timeout", "30", "integer", doc="in minutes"),
        Field("transactionalHandling", "transactions", "Not Required", "choice",
              ("Not Required", "Required", "Required JMS")),
    )


class LocalIntegrationProcess(Component):
    """A Local Integration Process, called by a Process Call or a Looping Process Call."""

    ctype = "FlowElementVariant"
    cname = "LocalIntegrationProcess"
    version = "1.1.3"
    keys = ("transactionTimeout", "processType", "componentVersion", "cmdVariantUri",
            "transactionalHandling")
    fixed = {"transactionTimeout": "30", "processType": "directCall",
             "transactionalHandling": "From Calling Process"}


class ExceptionSubprocess(Component):
    """An exception subprocess: runs when a step of its process raises."""

    cname = "ErrorEventSubProcessTemplate"
    version = "1.1.0"
    keys = ("componentVersion", "activityType", "cmdVariantUri")
    fixed = {"activityType": "ErrorEventSubProcessTemplate"}
