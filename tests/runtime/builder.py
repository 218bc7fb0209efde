"""A tiny builder of iFlow packages for runtime tests: real ``.iflw`` XML, zipped as a tenant would.

It writes the elements and ``ifl:property`` keys the runtime reads (no diagram: the runtime does
not need one). Steps added to a process are wired in the order ``chain`` gives.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
IFL = "http:///com.sap.ifl.model/Ifl.xsd"
_ids = itertools.count(100)


def _props(props: dict[str, str]) -> str:
    if not props:
        return "<bpmn2:extensionElements/>"
    items = "".join(f"<ifl:property><key>{escape(k)}</key><value>{escape(str(v))}</value></ifl:property>"
                    for k, v in props.items())
    return f"<bpmn2:extensionElements>{items}</bpmn2:extensionElements>"


def table(rows: list[dict[str, str]]) -> str:
    """A Content Modifier table: rows of Action, Type, Value, Default, Name, Datatype."""
    out = []
    for row in rows:
        cells = "".join(f"<cell id='{k}'>{escape(row.get(k, ''))}</cell>"
                        for k in ("Action", "Type", "Value", "Default", "Name", "Datatype"))
        out.append(f"<row>{cells}</row>")
    return "".join(out)


def plain_table(rows: list[list[str]]) -> str:
    return "".join("<row>" + "".join(f"<cell>{escape(c)}</cell>" for c in row) + "</row>" for row in rows)


def step(cname: str, version: str | None, **props: str) -> dict[str, str]:
    uri = f"ctype::FlowstepVariant/cname::{cname}" + (f"/version::{version}" if version else "")
    return {**props, "cmdVariantUri": uri}


def adapter(ctype: str, direction: str, version: str, *, vendor: bool = False, tp: str = "HTTP",
            mp: str = "None", **props: str) -> dict[str, str]:
    head = f"ctype::AdapterVariant/cname::{ctype}/vendor::SAP" if vendor else f"ctype::AdapterVariant/cname::sap:{ctype}"
    uri = f"{head}/tp::{tp}/mp::{mp}/direction::{direction}/version::{version}"
    return {"ComponentType": ctype, "direction": direction, "Name": ctype, **props, "cmdVariantUri": uri}


# --- adapters --------------------------------------------------------------------------------
def https_sender(path: str, *, role: str = "ESBMessaging.send", csrf: bool = False, max_mb: str = "40") -> dict:
    return adapter("HTTPS", "Sender", "1.5.2", tp="HTTPS", urlPath=path, userRole=role,
                   senderAuthType="RoleBased", xsrfProtection="1" if csrf else "0", maximumBodySize=max_mb)


def soap_sender(address: str, *, role: str = "ESBMessaging.send") -> dict:
    return adapter("SOAP", "Sender", "1.9.2", mp="SOAP 1.x", address=address, userRole=role,
                   senderAuthType="RoleBased", maximumBodySize="40")


def http_receiver(url: str, *, method: str = "POST", auth: str = "None", credential: str = "", query: str = "",
                  request_headers: str = "", response_headers: str = "*", retry: bool = False,
                  retry_codes: str = "", iterations: str = "1", interval: str = "5", throw: str = "true") -> dict:
    return adapter("HTTP", "Receiver", "1.17.0", httpAddressWithoutQuery=url, httpAddressQuery=query,
                   httpMethod=method, authenticationMethod=auth, credentialName=credential,
                   allowedRequestHeaders=request_headers, allowedResponseHeaders=response_headers,
                   retryOnConnectionFailure="true" if retry else "false", httpErrorResponseCodes=retry_codes,
                   retryIteration=iterations, retryInterval=interval, throwExceptionOnFailure=throw,
                   httpRequestTimeout="10000", httpShouldSendBody="false")


def odata_receiver(root: str, resource: str, *, operation: str = "Query(GET)", query: str = "",
                   content_type: str = "application/json", auth: str = "None", credential: str = "",
                   csrf: str = "true", edmx: str = "", response_headers: str = "") -> dict:
    return adapter("HCIOData", "Receiver", "1.26.0", mp="OData V2", address=root, resourcePath=resource,
                   operation=operation, queryOptions=query, contentType=content_type,
                   authenticationMethod=auth, alias=credential, isCSRFEnabled=csrf, edmxFilePath=edmx,
                   enableBatchProcessing="0", pagination="0", receiveTimeOut="1",
                   whitelistResponseHeaders=response_headers)


def soap_receiver(url: str, *, auth: str = "None", credential: str = "") -> dict:
    return adapter("SOAP", "Receiver", "1.10.3", mp="Plain SOAP", address=url, authentication=auth,
                   credentialName=credential, requestTimeout="10000")


def jms_sender(queue: str, *, interval: str = "1", max_interval: str = "60", exponential: bool = False) -> dict:
    return adapter("JMS", "Sender", "1.4.3", tp="Not Applicable", mp="Not Applicable", QueueName_inbound=queue,
                   RetryInterval=interval, MaxRetryInterval=max_interval,
                   ExponentialBackoff="1" if exponential else "0", NumberConcurrentProcesses="1")


def jms_receiver(queue: str, *, transfer_properties: bool = False) -> dict:
    return adapter("JMS", "Receiver", "1.6.3", tp="Not Applicable", mp="Not Applicable", QueueName_outbound=queue,
                   TransferExchangeProperties="1" if transfer_properties else "0")


def pd_sender(address: str) -> dict:
    return adapter("ProcessDirect", "Sender", "1.1.2", vendor=True, tp="Not Applicable", mp="Not Applicable",
                   address=address)


def pd_receiver(address: str) -> dict:
    return adapter("ProcessDirect", "Receiver", "1.1.1", vendor=True, tp="Not Applicable", mp="Not Applicable",
                   address=address)


# --- model -----------------------------------------------------------------------------------
@dataclass
class _Node:
    id: str
    tag: str
    props: dict[str, str]
    name: str = ""
    event: str | None = None
    event_props: dict[str, str] | None = None
    default: str | None = None
    loop: tuple[str, str] | None = None


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str = ""
    props: dict[str, str] = field(default_factory=dict)
    condition: str | None = None


class Scope:
    def __init__(self, builder: "FlowBuilder", id: str, name: str, props: dict[str, str], tag: str = "process") -> None:
        self.builder = builder
        self.id = id
        self.name = name
        self.props = props
        self.tag = tag
        self.nodes: list[_Node] = []
        self.flows: list[_Flow] = []
        self.subs: list[Scope] = []

    def add(self, tag: str, props: dict[str, str] | None = None, *, name: str = "", event: str | None = None,
            event_props: dict[str, str] | None = None, id: str | None = None) -> str:
        node_id = id or f"{ {'startEvent': 'StartEvent', 'endEvent': 'EndEvent', 'serviceTask': 'ServiceTask', 'exclusiveGateway': 'ExclusiveGateway'}.get(tag, 'CallActivity')}_{next(_ids)}"
        self.nodes.append(_Node(node_id, tag, props or {}, name or node_id, event, event_props))
        return node_id

    def flow(self, source: str, target: str, *, name: str = "", condition: str | None = None,
             expression_type: str | None = None) -> str:
        flow_id = f"SequenceFlow_{next(_ids)}"
        props = {}
        if expression_type:
            props = {"expressionType": expression_type,
                     "cmdVariantUri": "ctype::FlowstepVariant/cname::GatewayRoute/version::1.0.0"}
        self.flows.append(_Flow(flow_id, source, target, name, props, condition))
        return flow_id

    def chain(self, *ids: str) -> None:
        for a, b in zip(ids, ids[1:]):
            self.flow(a, b)

    # events
    def message_start(self) -> str:
        return self.add("startEvent", step("MessageStartEvent", "1.0"), event="message")

    def start(self) -> str:
        return self.add("startEvent", step("StartEvent", None))

    def timer_start(self, schedule: str) -> str:
        return self.add("startEvent", {}, event="timer",
                        event_props={"scheduleKey": schedule, **step("intermediatetimer", "1.4.0"),
                                     "activityType": "StartTimerEvent"})

    def end(self) -> str:
        return self.add("endEvent", step("EndEvent", None))

    def message_end(self) -> str:
        return self.add("endEvent", step("MessageEndEvent", "1.1.0"), event="message")

    def error_start(self) -> str:
        return self.add("startEvent", {}, event="error", event_props=step("ErrorStartEvent", None))

    def error_end(self) -> str:
        return self.add("endEvent", {}, event="error", event_props=step("ErrorEndEvent", None))

    def escalation_end(self, code: str = "ReceiverNotFound") -> str:
        return self.add("endEvent", {}, event="escalation",
                        event_props={"ErrorCode": code, **step("EscalationEndEvent", "1.0.0")})

    def terminate_end(self) -> str:
        return self.add("endEvent", step("TerminateEndEvent", None), event="terminate")

    # steps
    def content_modifier(self, *, headers: list[dict] = (), properties: list[dict] = (), body: str = "",
                         body_type: str = "constant", name: str = "") -> str:
        return self.add("callActivity", step("Enricher", "1.6.1", bodyType=body_type, propertyTable=table(list(properties)),
                                             headerTable=table(list(headers)), wrapContent=body,
                                             activityType="Enricher"), name=name)

    def script(self, file: str, function: str = "", version: str = "1.1.2") -> str:
        return self.add("callActivity", step("GroovyScript", version, script=file, scriptFunction=function,
                                             scriptBundleId="", activityType="Script"))

    def router(self, *, throw: bool = False) -> str:
        return self.add("exclusiveGateway", step("ExclusiveGateway", "1.1.2", throwException=str(throw).lower()))

    def route(self, gateway: str, target: str, condition: str | None, *, kind: str = "NonXML", default: bool = False,
              name: str = "") -> str:
        flow_id = self.flow(gateway, target, name=name, condition=None if default else condition,
                            expression_type=kind if not default else "XML")
        if default:
            next(n for n in self.nodes if n.id == gateway).default = flow_id
        return flow_id

    def request_reply(self, channel: dict) -> str:
        node = self.add("serviceTask", step("ExternalCall", "1.0.4", activityType="ExternalCall"))
        self.builder.receiver(node, channel)
        return node

    def send(self, channel: dict) -> str:
        node = self.add("serviceTask", step("Send", "1.0.4", activityType="Send"))
        self.builder.receiver(node, channel)
        return node

    def process_call(self, process_id: str) -> str:
        return self.add("callActivity", step("NonLoopingProcess", "1.0.4", processId=process_id))

    def looping_call(self, process_id: str, condition: str, maximum: int = 10, post: str = "end") -> str:
        node = self.add("callActivity", step("LoopingProcess", "1.3.0", processId=process_id, loopId="Loop_1",
                                             expressionType="Non XML", postProcessing=post))
        next(n for n in self.nodes if n.id == node).loop = (condition, str(maximum))
        return node

    def splitter(self, kind: str = "XPath", expression: str = "", *, iterating: bool = False, grouping: str = "",
                 stop: str = "true") -> str:
        cname = "Camel" if iterating else "GeneralSplitter"
        return self.add("callActivity", step(cname, "1.6.0", exprType=kind, splitExprValue=expression, grouping=grouping,
                                             tokenValue=expression, StopOnExecution=stop,
                                             splitType="IteratingSplitter" if iterating else "GeneralSplitter"))

    def gather(self, message_type: str = "SameXMLFormat", algorithm: str = "sap-identical-multi-mapping",
               source: str = "", target: str = "") -> str:
        return self.add("callActivity", step("Gather", "1.2.0", messageType=message_type, aggregationAlgorithm=algorithm,
                                             sourceXPath=source, targetXPath=target))

    def generic(self, cname: str, version: str | None, **props: str) -> str:
        return self.add("callActivity", step(cname, version, **props))

    def exception_subprocess(self) -> "Scope":
        sub = Scope(self.builder, f"SubProcess_{next(_ids)}", "Exception Subprocess",
                    step("ErrorEventSubProcessTemplate", "1.1.0"), tag="subProcess")
        self.subs.append(sub)
        return sub

    # serialisation
    def xml(self) -> str:
        parts = [f'<bpmn2:{self.tag} id="{self.id}" name="{escape(self.name)}">', _props(self.props)]
        for sub in self.subs:
            parts.append(sub.xml())
        for node in self.nodes:
            attrs = f'id="{node.id}" name="{escape(node.name)}"' + (f' default="{node.default}"' if node.default else "")
            inner = _props(node.props) if node.props else ""
            if node.event:
                definition = f"bpmn2:{node.event}EventDefinition"
                inner += (f"<{definition}>{_props(node.event_props)}</{definition}>" if node.event_props
                          else f"<{definition}/>")
            if node.loop:
                inner += (f'<bpmn2:standardLoopCharacteristics id="Loop_1" loopMaximum="{node.loop[1]}">'
                          f'<bpmn2:loopCondition xsi:type="bpmn2:tFormalExpression">{escape(node.loop[0])}'
                          "</bpmn2:loopCondition></bpmn2:standardLoopCharacteristics>")
            parts.append(f"<bpmn2:{node.tag} {attrs}>{inner}</bpmn2:{node.tag}>")
        for flow in self.flows:
            name = f' name="{escape(flow.name)}"' if flow.name else ""
            inner = _props(flow.props) if flow.props else ""
            if flow.condition is not None:
                inner += (f'<bpmn2:conditionExpression xsi:type="bpmn2:tFormalExpression">{escape(flow.condition)}'
                          "</bpmn2:conditionExpression>")
            parts.append(f'<bpmn2:sequenceFlow id="{flow.id}" sourceRef="{flow.source}" targetRef="{flow.target}"{name}>'
                         f"{inner}</bpmn2:sequenceFlow>")
        parts.append(f"</bpmn2:{self.tag}>")
        return "".join(parts)


class FlowBuilder:
    def __init__(self, artifact_id: str = "Test_Flow", *, namespaces: str = "", allowed_headers: str = "",
                 ifc: str = "1.2.4") -> None:
        self.artifact_id = artifact_id
        self.collab = {"namespaceMapping": namespaces, "allowedHeaderList": allowed_headers,
                       "returnExceptionToSender": "false",
                       "cmdVariantUri": f"ctype::IFlowVariant/cname::IFlowConfiguration/version::{ifc}"}
        self.processes: list[Scope] = []
        self.participants: list[tuple[str, str, str, str | None]] = []
        self.message_flows: list[tuple[str, str, str, dict]] = []

    def process(self, name: str = "Integration Process", *, local: bool = False) -> Scope:
        pid = f"Process_{next(_ids)}"
        if local:
            props = {"processType": "directCall", "transactionalHandling": "From Calling Process",
                     "cmdVariantUri": "ctype::FlowElementVariant/cname::LocalIntegrationProcess/version::1.1.3"}
        else:
            props = {"transactionalHandling": "Not Required",
                     "cmdVariantUri": "ctype::FlowElementVariant/cname::IntegrationProcess/version::1.2.1"}
        scope = Scope(self, pid, name, props)
        self.processes.append(scope)
        self.participants.append((f"Participant_{pid}", name, "IntegrationProcess", pid))
        return scope

    def sender(self, start: str, channel: dict, name: str = "Sender") -> None:
        pid = f"Participant_{next(_ids)}"
        self.participants.append((pid, name, "EndpointSender", None))
        self.message_flows.append((f"MessageFlow_{next(_ids)}", pid, start, {**channel, "system": name}))

    def receiver(self, node: str, channel: dict, name: str = "Receiver") -> None:
        pid = f"Participant_{next(_ids)}"
        self.participants.append((pid, name, "EndpointRecevier", None))
        self.message_flows.append((f"MessageFlow_{next(_ids)}", node, pid, {**channel, "system": name}))

    def iflw(self) -> bytes:
        parts = ['<?xml version="1.0" encoding="UTF-8"?>',
                 f'<bpmn2:definitions xmlns:bpmn2="{BPMN}" xmlns:ifl="{IFL}" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_1">',
                 '<bpmn2:collaboration id="Collaboration_1" name="Default Collaboration">', _props(self.collab)]
        for pid, name, ptype, ref in self.participants:
            ref_attr = f' processRef="{ref}"' if ref else ""
            parts.append(f'<bpmn2:participant id="{pid}" ifl:type="{ptype}" name="{escape(name)}"{ref_attr}>'
                         f'{_props({"ifl:type": ptype}) if ptype != "IntegrationProcess" else "<bpmn2:extensionElements/>"}'
                         "</bpmn2:participant>")
        for fid, source, target, props in self.message_flows:
            parts.append(f'<bpmn2:messageFlow id="{fid}" name="{escape(props.get("Name", ""))}" sourceRef="{source}" '
                         f'targetRef="{target}">{_props(props)}</bpmn2:messageFlow>')
        parts.append("</bpmn2:collaboration>")
        parts.extend(p.xml() for p in self.processes)
        parts.append("</bpmn2:definitions>")
        return "".join(parts).encode("utf-8")

    def zip(self, resources: dict[str, bytes | str] | None = None, parameters: dict[str, str] | None = None) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"src/main/resources/scenarioflows/integrationflow/{self.artifact_id}.iflw", self.iflw())
            prop_lines = ["#Mon Jan 05 10:00:00 UTC 2026"]
            for key, value in (parameters or {}).items():
                prop_lines.append(key.replace(" ", "\\ ") + "=" + value.replace(":", "\\:").replace("=", "\\="))
            archive.writestr("src/main/resources/parameters.prop", "\n".join(prop_lines) + "\n")
            for path, data in (resources or {}).items():
                archive.writestr(f"src/main/resources/{path}", data)
            archive.writestr("META-INF/MANIFEST.MF",
                             f"Manifest-Version: 1.0\r\nBundle-SymbolicName: {self.artifact_id}\r\n"
                             "Bundle-Version: 1.0.0\r\nSAP-BundleType: IntegrationFlow\r\n\r\n")
        return buffer.getvalue()
