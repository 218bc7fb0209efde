"""The component registry: which class renders which adapter or step."""

from __future__ import annotations

from generator.components.adapters.base import Adapter
from generator.components.adapters.http import HttpReceiver
from generator.components.adapters.https import HttpsSender
from generator.components.adapters.jms import JmsReceiver, JmsSender
from generator.components.adapters.odata import ODataReceiver
from generator.components.adapters.processdirect import ProcessDirectReceiver, ProcessDirectSender
from generator.components.adapters.soap import SoapReceiver, SoapSender
from generator.components.base import Component
from generator.components.steps import calls, content_modifier, converters, events, mapping
from generator.components.steps import persistence, processes, routing, script, splitting

SENDERS: dict[str, type[Adapter]] = {
    cls.spec_name: cls for cls in (HttpsSender, SoapSender, ProcessDirectSender, JmsSender)}
RECEIVERS: dict[str, type[Adapter]] = {
    cls.spec_name: cls for cls in (HttpReceiver, ODataReceiver, SoapReceiver,
                                   ProcessDirectReceiver, JmsReceiver)}

#: Steps whose spec entry is just the component's options (kind -> component).
SIMPLE_STEPS: dict[str, type[Component]] = {
    "json_to_xml": converters.JsonToXml,
    "xml_to_json": converters.XmlToJson,
    "gather": splitting.Gather,
    "filter": mapping.Filter,
    "xslt": mapping.XsltMapping,
}

ALL_COMPONENTS: tuple[type[Component], ...] = (
    *SENDERS.values(), *RECEIVERS.values(),
    processes.IFlowConfiguration, processes.IntegrationProcess, processes.LocalIntegrationProcess,
    processes.ExceptionSubprocess,
    events.MessageStartEvent, events.MessageEndEvent, events.StartEvent, events.EndEvent,
    events.ErrorStartEvent, events.ErrorEndEvent, events.EscalationEndEvent,
    events.TimerStartEvent,
    content_modifier.ContentModifier, script.GroovyScript, routing.Router, routing.Route,
    calls.RequestReply, calls.Send, calls.ProcessCall, calls.LoopingProcessCall,
    splitting.GeneralSplitter, splitting.IteratingSplitter, splitting.Gather,
    converters.JsonToXml, converters.XmlToJson, mapping.Filter, mapping.XsltMapping,
    *persistence.DATA_STORE_OPERATIONS.values(), persistence.WriteVariables,
)

#: cmdVariantUri -> component, for every component the generator writes.
BY_URI: dict[str, type[Component]] = {cls.cmd_variant_uri(): cls for cls in ALL_COMPONENTS}
