"""Adapters: the ``bpmn2:messageFlow`` channels between a participant and the process."""

from __future__ import annotations

from typing import Any, ClassVar

from generator.components.base import Component, Field, OptionError

#: Keys every adapter channel carries, filled from the class attributes.
COMMON_KEYS = frozenset({
    "ComponentType", "Description", "ComponentNS", "componentVersion", "Name",
    "TransportProtocolVersion", "ComponentSWCVName", "system", "TransportProtocol", "cmdVariantUri",
    "MessageProtocol", "MessageProtocolVersion", "ComponentSWCVId", "direction", "Vendor",
})


class Adapter(Component):
    """An adapter variant: the channel's ``ComponentType``, protocols, direction and version."""

    ctype = "AdapterVariant"
    #: The spec key naming this adapter (``https``, ``odata``, ...).
    spec_name: ClassVar[str] = ""
    component_type: ClassVar[str] = ""
    transport: ClassVar[str] = ""
    message: ClassVar[str] = ""
    direction: ClassVar[str] = ""
    #: Adapter bundle version written as TransportProtocolVersion/MessageProtocolVersion/SWCVId.
    protocol_version: ClassVar[str] = ""
    #: ProcessDirect-style adapters name the vendor in the URI and carry a ``Vendor`` key.
    vendor: ClassVar[bool] = False
    #: How externalized fields are referenced in ``param_references``: ``full`` (the adapter URI
    #: without ``sap:``), ``short`` (``/attrId::key``, HTTPS sender), ``adapter``
    #: (``ctype::Adapter/...``, ProcessDirect sender) or None (no entries, ProcessDirect receiver).
    ref_style: ClassVar[str | None] = "full"
    #: Default channel name (the message flow's ``name`` and ``Name``).
    default_name: ClassVar[str] = ""

    @classmethod
    def cmd_variant_uri(cls) -> str:
        if cls.vendor:
            head = f"ctype::AdapterVariant/cname::{cls.component_type}/vendor::SAP"
        else:
            head = f"ctype::AdapterVariant/cname::sap:{cls.component_type}"
        return (f"{head}/tp::{cls.transport}/mp::{cls.message}/direction::{cls.direction}"
                f"/version::{cls.version}")

    @classmethod
    def channel(cls, options: dict[str, Any], *, name: str, system: str,
                description: str = "") -> dict[str, str]:
        """All key values of one channel: common keys plus the spec options."""
        values = cls.fill(options)
        common = {
            "ComponentType": cls.component_type, "Description": description, "ComponentNS": "sap",
            "componentVersion": cls.component_version(), "Name": name,
            "TransportProtocolVersion": cls.protocol_version, "ComponentSWCVName": "external",
            "system": system, "TransportProtocol": cls.transport,
            "cmdVariantUri": cls.cmd_variant_uri(), "MessageProtocol": cls.message,
            "MessageProtocolVersion": cls.protocol_version, "ComponentSWCVId": cls.protocol_version,
            "direction": cls.direction,
        }
        if cls.vendor:
            common["Vendor"] = "SAP"
        values.update({k: v for k, v in common.items() if k in cls.keys})
        cls.finish(values)
        return values

    @classmethod
    def finish(cls, values: dict[str, str]) -> None:
        """Cross-field rules and normalisation of the values (override; raise OptionError)."""

    @classmethod
    def reference_id(cls, key: str) -> str | None:
        """``attribute_id`` of a ``param_references`` entry for ``key`` (None: no entry)."""
        if cls.ref_style == "short":
            return f"/attrId::{key}"
        if cls.ref_style == "adapter":
            return f"ctype::Adapter/cname::{cls.component_type}/vendor::SAP/version::{cls.version}/attrId::{key}"
        if cls.ref_style == "full":
            return cls.cmd_variant_uri().replace("cname::sap:", "cname::") + f"/attrId::{key}"
        return None

    @classmethod
    def reference_category(cls, system: str, spec_field: Field) -> str:
        """``attribute_category``: the participant's name, with the designer's group suffixes."""
        if cls.ref_style != "full" or cls.direction != "Receiver":
            return system
        suffix = {"system": ".Receiver.System", "auth": ".Receiver.Auth"}.get(spec_field.ref or "", "")
        return system + suffix

    @classmethod
    def reference_label(cls, spec_field: Field) -> str:
        """``attribute_uilabel``: the designer's label (empty for the short HTTPS form)."""
        return "" if cls.ref_style == "short" else spec_field.label

    @classmethod
    def require(cls, values: dict[str, str], key: str, option: str) -> None:
        """Raise unless ``key`` has a value."""
        if not values.get(key):
            raise OptionError(option, f"{cls.spec_name} {cls.direction.lower()} needs '{option}'")
