"""Groovy Script 1.0-1.1 (Groovy 2.4, Script API v1) and 2.x (Groovy 4.0), run by the script host.

The script is the one **packaged** in the deployed zip (``src/main/resources/script/<name>``), or,
when ``scriptBundleId`` names a script collection, the collection's copy deployed to this runtime.
Headers and properties cross to the JVM as JSON values, except the caught exception
(``CamelExceptionCaught`` in an exception subprocess), which the script host rebuilds as a Java
exception object (see :func:`caught_exception`); whatever the script leaves behind becomes the exchange. Log attachments go to the MPL (secrets masked); a script exception fails the step
with the script's own exception class and message.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from lxml import etree

from ..context import RunContext
from ..errors import HttpResponseError, ProcessingError, ScriptException
from ..exchange import Exchange
from ..registry import STEPS
from .base import Step


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def caught_exception(error: ProcessingError):
    """The exception as the script host rebuilds it: class and message, and for receiver failures the
    status, status text, response body and headers (what ``AhcOperationFailedException`` offers)."""
    from harness.scripthost import CaughtException

    if not isinstance(error, HttpResponseError):
        return CaughtException(error.java_class, error.message)
    text = error.response_text
    fault_code = detail = None
    if error.java_class.endswith("SoapFault"):
        fault_code, detail = _fault_parts(error.body)
    return CaughtException(error.java_class, error.message, status_code=error.status or None,
                           status_text=error.status_text or _phrase(error.status), response_body=text,
                           url=error.url or None, response_headers=error.headers,
                           fault_code=fault_code, detail=detail)


def _phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


def _fault_parts(envelope: bytes) -> tuple[str | None, str | None]:
    """``faultcode`` and the ``detail`` element (serialized) of a SOAP 1.1 fault, when present."""
    try:
        root = etree.fromstring(envelope, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None, None
    fault = next((e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "Fault"), None)
    if fault is None:
        return None, None
    code = fault.findtext("faultcode")
    detail = fault.find("detail")
    children = [c for c in detail if isinstance(c.tag, str)] if detail is not None else []
    return code, etree.tostring(children[0], encoding="unicode") if children else None


@STEPS.register("GroovyScript")
class GroovyScript(Step):
    title = "Groovy Script"
    min_version = "1.0"
    max_version = "2.1"

    def compile(self) -> None:
        self.name = self.prop("script")
        if not self.name:
            raise self.fail("no script file named")
        self.function = self.prop("scriptFunction", "processData")
        self.bundle = self.prop("scriptBundleId")
        self.groovy = "4.0" if self.node.variant.version.startswith("2.") else "2.4"
        if self.bundle:
            source = self.flow.runtime.script_collection_file(self.bundle, self.name)
            if source is None:
                raise self.fail(f"script {self.name!r} of script collection {self.bundle!r} is not "
                                "deployed (deploy the script collection first)")
        else:
            source = self.flow.package.resource(f"script/{self.name}")
            if source is None:
                raise self.fail(f"script file script/{self.name} is not in the package")
        self.source = source.decode("utf-8")

    def process(self, ex: Exchange, ctx: RunContext) -> None:
        from harness.scripthost import ScriptHostError, ScriptMessage

        properties: dict[str, Any] = {k: _jsonable(v) for k, v in ex.properties.items()}
        if ex.exception is not None:
            properties["CamelExceptionCaught"] = caught_exception(ex.exception)
        message = ScriptMessage(body=ex.body, headers={k: _jsonable(v) for k, v in ex.headers.items()},
                                properties=properties)
        host = self.flow.runtime.script_host(self.groovy)
        try:
            result = host.run((self.name, self.source), self.function, message,
                              value_mappings=self.flow.value_mappings,
                              credentials=self.flow.runtime.security.for_scripts())
        except ScriptHostError as exc:
            raise ProcessingError(f"script host failed running {self.name}: {exc}",
                                  java_class="com.sap.it.rt.scripting.ScriptExecutionException",
                                  step_id=self.node.id) from exc
        for attachment in result.log_attachments:
            ctx.attach(attachment.name, attachment.media_type, attachment.text)
        for name, value in result.custom_headers:
            ctx.mpl_property(f"CustomHeader:{name}", value)
        if result.exception is not None:
            failure = result.exception
            raise ScriptException(failure.message or "", java_class=failure.class_name, step_id=self.node.id)
        ex.body = result.body
        ex.headers.clear()
        ex.headers.update(result.headers)
        caught = ex.properties.get("CamelExceptionCaught")
        ex.properties = dict(result.properties)
        if caught is not None and "CamelExceptionCaught" in ex.properties:
            ex.properties["CamelExceptionCaught"] = caught
        if result.charset and result.charset.lower() not in ("utf-8", "utf8"):
            ex.properties["CamelCharsetName"] = result.charset
