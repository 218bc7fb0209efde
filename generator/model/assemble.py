"""Assemble one flow of a module spec into an ``IFlow`` model.

The spec lists steps in order; a router's routes each run their own steps and then either end
(``end``, ``error``, ``escalate``) or flow on into the step after the router. The assembler walks
that structure keeping the "open ends" that the next node connects to, so the graph always has a
sequence flow for every path and nothing dangles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.components import RECEIVERS, SENDERS, SIMPLE_STEPS
from generator.components.adapters.base import Adapter
from generator.components.base import PARAM_RE, Component, OptionError
from generator.components.steps import calls, content_modifier, events, processes, routing
from generator.components.steps.persistence import DATA_STORE_OPERATIONS, WriteVariables
from generator.components.steps.script import GroovyScript
from generator.components.steps.splitting import GeneralSplitter, IteratingSplitter
from generator.errors import SpecError
from generator.model.ids import IdAllocator
from generator.model.iflow import (
    EventDefinition, IFlow, Loop, MessageFlow, Node, Participant, Process, SequenceFlow,
)
from generator.model.parameters import ParameterTable, declarations
from generator.spec.loader import Document, PathKey

STEP_KINDS = ("set", "script", "call", "send", "route", "process", "loop", "split", "datastore",
              "variables", *SIMPLE_STEPS, "end", "error", "escalate")
TERMINALS = ("end", "error", "escalate")


@dataclass
class BuildEnv:
    """What a flow needs from outside its spec: scripts, resource files and the build date."""

    scripts: dict[str, Path]
    resources: Path
    modified_ms: int


@dataclass
class Route:
    """The route a pending connection leaves a router by."""

    name: str
    expression_type: str  # XML | NonXML
    condition: str | None
    default: bool


@dataclass
class Pending:
    """An open end: the next node gets a sequence flow from ``source``."""

    source: str
    route: Route | None = None


@dataclass
class Scope:
    """Where nodes go: a process, or an exception subprocess inside one."""

    process: Process
    nodes: list[Node]
    flows: list[SequenceFlow]
    in_subprocess: bool = False

    @property
    def local(self) -> bool:
        return self.process.local


@dataclass
class ModuleContext:
    """The module-level parts every flow of the module shares."""

    doc: Document
    namespaces: dict[str, str] = field(default_factory=dict)
    field_maps: dict[str, Any] = field(default_factory=dict)


class FlowAssembler:
    """Builds the ``IFlow`` of ``flows[index]`` of a module spec."""

    def __init__(self, module: ModuleContext, index: int, env: BuildEnv):
        self.module = module
        self.doc = module.doc
        self.env = env
        self.path: PathKey = ("flows", index)
        self.spec: dict[str, Any] = self.doc.data["flows"][index]
        self.ids = IdAllocator(env.modified_ms)
        data = self.doc.data
        declared = declarations(self.doc, data.get("parameters"), ("parameters",))
        declared.update(declarations(self.doc, self.spec.get("parameters"),
                                     self.path + ("parameters",)))
        self.params = ParameterTable(declared)
        self.systems: dict[str, tuple[dict, PathKey]] = {
            name: (spec, ("receivers", name)) for name, spec in (data.get("receivers") or {}).items()}
        for name, spec in (self.spec.get("receivers") or {}).items():
            if name in self.systems:
                raise self.error(self.path + ("receivers", name),
                                 f"receiver {name!r} is already defined at module level")
            self.systems[name] = (spec, self.path + ("receivers", name))
        self.participants: list[Participant] = []
        self.process_participants: list[Participant] = []
        self.receivers: dict[str, Participant] = {}
        self.message_flows: list[MessageFlow] = []
        self.processes: list[Process] = []
        self.nodes: dict[str, Node] = {}
        self.resources: dict[str, Path] = {}
        self.collections: list[str] = []
        self.local_ids: dict[str, str] = {}
        self.called: set[str] = set()

    # -- errors --------------------------------------------------------------------------------

    def error(self, path: PathKey, message: str) -> SpecError:
        """A located spec error, prefixed with the flow id."""
        return SpecError([self.doc.problem(path, f"[{self.spec.get('id')}] {message}")])

    # -- the flow ------------------------------------------------------------------------------

    def build(self) -> IFlow:
        """Assemble the flow."""
        spec = self.spec
        settings = dict(spec.get("settings") or {})
        settings["namespaces"] = ";".join(f"xmlns:{p}={uri}" for p, uri in self.module.namespaces.items())
        collaboration = self.fill(processes.IFlowConfiguration, settings, self.path + ("settings",))
        process_spec = spec.get("process") or {}
        main = self.new_process(process_spec.get("name", "Integration Process"), local=False,
                                properties=self.fill(processes.IntegrationProcess,
                                                     {k: v for k, v in process_spec.items() if k != "name"},
                                                     self.path + ("process",)))
        for key in spec.get("processes") or {}:
            self.local_ids[key] = self.ids.next("Process")
        scope = Scope(main, main.nodes, main.flows)
        if spec.get("on_error"):
            self.exception_subprocess(spec["on_error"], self.path + ("on_error",), scope)
        start = self.start_event(scope)
        pending = self.sequence(spec["steps"], self.path + ("steps",), scope, [Pending(start.id)])
        self.close(pending, spec.get("end"), self.path + ("end",), scope)
        for key, local in (spec.get("processes") or {}).items():
            self.local_process(key, local, self.path + ("processes", key))
        for key in self.local_ids:
            if key not in self.called:
                raise self.error(self.path + ("processes", key),
                                 f"local process {key!r} is never called (process or loop step)")
        keep = self.params.unused(self.path + ("parameters",))
        if self.params.problems:
            raise SpecError(self.params.problems)
        file_name = spec.get("file") or spec["name"]
        return IFlow(
            id=spec["id"], name=spec["name"], description=spec.get("description", ""),
            version=spec.get("version", "1.0.0"),
            file_name=file_name if file_name.endswith(".iflw") else f"{file_name}.iflw",
            collaboration=collaboration, participants=self.participants + self.process_participants,
            message_flows=self.message_flows, processes=self.processes,
            parameters=self.params.finish(keep), resources=dict(sorted(self.resources.items())),
            script_collections=self.collections, singleton=bool(spec.get("singleton")),
            modified_ms=self.env.modified_ms, spec_file=str(self.doc.path),
        )

    def new_process(self, name: str, *, local: bool, properties: list[tuple[str, str]],
                    process_id: str | None = None) -> Process:
        """A process and its IntegrationProcess participant."""
        process = Process(process_id or self.ids.next("Process"), name, properties, local)
        self.processes.append(process)
        self.process_participants.append(
            Participant(f"Participant_{process.id}", name, "IntegrationProcess", process.id))
        return process

    def start_event(self, scope: Scope) -> Node:
        """The main start: a message start fed by the sender, or a timer."""
        spec, path = self.spec, self.path
        if ("sender" in spec) == ("timer" in spec):
            raise self.error(path, "a flow needs exactly one of 'sender' or 'timer'")
        if "timer" in spec:
            timer = spec["timer"]
            try:
                table = events.TimerStartEvent.schedule(timer)
            except OptionError as exc:
                raise self.error(path + ("timer",), str(exc)) from None
            if timer.get("parameter"):
                self.params.use_schedule(timer["parameter"], table, self.doc, path + ("timer", "parameter"))
                table = "{{" + timer["parameter"] + "}}"
            values = events.TimerStartEvent.defaults()
            values["scheduleKey"] = table
            node = self.event(events.TimerStartEvent, timer.get("name", "Start Timer"), values)
            node.event.id = self.ids.next("TimerEventDefinition")
            return self.add(scope, node, [])
        sender = spec["sender"]
        adapter, options, opath = self.adapter_choice(sender, SENDERS, path + ("sender",))
        system = sender.get("system", "Sender")
        participant = Participant(self.ids.next("Participant"), system, "EndpointSender")
        self.participants.append(participant)
        node = self.add(scope, self.event(events.MessageStartEvent, spec.get("start", "Start")), [])
        values = self.channel(adapter, options, opath, system=system,
                              name=sender.get("channel", adapter.default_name),
                              description=sender.get("description", ""))
        self.message_flows.append(MessageFlow(self.ids.next("MessageFlow"),
                                              sender.get("channel", adapter.default_name),
                                              participant.id, node.id, values))
        return node

    def local_process(self, key: str, spec: dict, path: PathKey) -> None:
        """A Local Integration Process."""
        process = self.new_process(spec["name"], local=True, process_id=self.local_ids[key],
                                   properties=processes.LocalIntegrationProcess.properties(
                                       processes.LocalIntegrationProcess.defaults()))
        scope = Scope(process, process.nodes, process.flows)
        if spec.get("on_error"):
            self.exception_subprocess(spec["on_error"], path + ("on_error",), scope)
        start = self.add(scope, self.event(events.StartEvent, spec.get("start", "Start")), [])
        pending = self.sequence(spec["steps"], path + ("steps",), scope, [Pending(start.id)])
        self.close(pending, spec.get("end"), path + ("end",), scope)

    def exception_subprocess(self, spec: dict, path: PathKey, scope: Scope) -> None:
        """An exception subprocess inside ``scope``'s process."""
        node = Node(self.ids.next("SubProcess"), "subProcess", spec.get("name", "Exception Subprocess"),
                    processes.ExceptionSubprocess.properties(processes.ExceptionSubprocess.defaults()),
                    size=(400.0, 140.0))
        self.add(scope, node, [])
        inner = Scope(scope.process, node.nodes, node.flows, in_subprocess=True)
        start = self.add(inner, self.event(events.ErrorStartEvent, spec.get("start", "Error Start")), [])
        pending = self.sequence(spec.get("steps") or [], path + ("steps",), inner, [Pending(start.id)])
        self.close(pending, spec.get("end", {"error": "Error End"}), path + ("end",), inner)

    # -- sequences -----------------------------------------------------------------------------

    def sequence(self, steps: list[dict], path: PathKey, scope: Scope,
                 pending: list[Pending]) -> list[Pending]:
        """Build ``steps`` after ``pending``; return the open ends after the last step."""
        for i, step in enumerate(steps):
            step_path = path + (i,)
            if not pending:
                raise self.error(step_path, "this step is never reached: every path before it ends")
            kinds = [k for k in step if k in STEP_KINDS]
            kind = kinds[0]
            handler = getattr(self, f"step_{kind}", None)
            try:
                if handler is not None:
                    pending = handler(step, step_path, scope, pending)
                else:
                    pending = self.step_simple(kind, step, step_path, scope, pending)
            except OptionError as exc:
                raise self.error(step_path + tuple(exc.option.split(".")), str(exc)) from None
        return pending

    def close(self, pending: list[Pending], end: Any, path: PathKey, scope: Scope) -> None:
        """End the open paths of a process with its ``end`` (a name or a terminal step)."""
        if not pending:
            if end is not None and path[-1] == "end" and self._explicit(path):
                raise self.error(path, "'end' is never reached: every path ends before it")
            return
        if end is None:
            end = {"end": "End"}
        elif isinstance(end, str):
            end = {"end": end}
        kind = next(k for k in TERMINALS if k in end)
        getattr(self, f"step_{kind}")(end, path, scope, pending)

    def _explicit(self, path: PathKey) -> bool:
        node: Any = self.doc.data
        for part in path:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return False
        return True

    # -- graph helpers -------------------------------------------------------------------------

    def add(self, scope: Scope, node: Node, pending: list[Pending]) -> Node:
        """Add a node to the scope and connect the open ends to it."""
        scope.nodes.append(node)
        self.nodes[node.id] = node
        for open_end in pending:
            self.connect(scope, open_end, node.id)
        return node

    def connect(self, scope: Scope, open_end: Pending, target: str) -> SequenceFlow:
        """A sequence flow from an open end (a plain flow or a router's route)."""
        flow = SequenceFlow(self.ids.next("SequenceFlow"), open_end.source, target)
        route = open_end.route
        if route is not None:
            values = routing.Route.defaults()
            values["expressionType"] = route.expression_type
            flow.name = route.name
            flow.properties = routing.Route.properties(values)
            if route.condition is not None:
                flow.condition = route.condition
                flow.condition_id = f"FormalExpression_{flow.id}_{self.ids.timestamp}"
            if route.default:
                self.nodes[open_end.source].default_flow = flow.id
        scope.flows.append(flow)
        self.nodes[open_end.source].outgoing.append(flow.id)
        self.nodes[target].incoming.append(flow.id)
        return flow

    def event(self, component: type[Component], name: str,
              values: dict[str, str] | None = None) -> Node:
        """An event node; the definition holds the properties where the tenant puts them there."""
        props = component.properties(values or component.defaults())
        prefix = "StartEvent" if component.tag == "startEvent" else "EndEvent"
        node = Node(self.ids.next(prefix), component.tag, name, size=component.size)
        if component.definition:
            node.event = EventDefinition(component.definition)
        if component.props_on_definition:
            node.event.properties = props
        else:
            node.properties = props
        return node

    def step_node(self, component: type[Component], name: str, values: dict[str, str]) -> Node:
        """A step node (callActivity, serviceTask or gateway)."""
        prefix = {"callActivity": "CallActivity", "serviceTask": "ServiceTask",
                  "exclusiveGateway": "ExclusiveGateway"}[component.tag]
        return Node(self.ids.next(prefix), component.tag, name, component.properties(values),
                    size=component.size)

    def fill(self, component: type[Component], options: dict[str, Any],
             path: PathKey) -> list[tuple[str, str]]:
        """Properties of a simple component, recording parameter use."""
        try:
            values = component.fill(options)
        except OptionError as exc:
            raise self.error(path + (exc.option,), str(exc)) from None
        self.record_fields(component, values, options, path)
        return component.properties(values)

    def record_fields(self, component: type[Component], values: dict[str, str],
                      options: dict[str, Any], path: PathKey, adapter: type[Adapter] | None = None,
                      system: str = "") -> None:
        """Record parameter use in field values and package the resource files fields name."""
        for spec_field in component.fields:
            value = values.get(spec_field.key, "")
            self.params.use_field(value, spec_field, self.doc, path + (spec_field.option,),
                                  adapter=adapter, system=system)
            if spec_field.resource and spec_field.option in options and "{{" not in value:
                self.resource(spec_field.resource, str(options[spec_field.option]),
                              path + (spec_field.option,))
        covered = {f.key for f in component.fields}
        for key, value in values.items():
            if key not in covered and "{{" in value:
                self.params.use_text(value, self.doc, path)

    def resource(self, folder: str, name: str, path: PathKey) -> None:
        """Package ``mappings/resources/<folder>/<name>``."""
        name = name.rsplit("/", 1)[-1]
        source = self.env.resources / folder / name
        if not source.is_file():
            raise self.error(path, f"resource file {folder}/{name} not found in {self.env.resources}")
        self.resources[f"{folder}/{name}"] = source

    # -- adapters ------------------------------------------------------------------------------

    def adapter_choice(self, spec: dict, registry: dict[str, type[Adapter]],
                       path: PathKey) -> tuple[type[Adapter], dict, PathKey]:
        """The one adapter key of a sender/receiver entry."""
        chosen = [k for k in registry if k in spec]
        if len(chosen) != 1:
            raise self.error(path, "expected exactly one adapter: " + ", ".join(registry)
                             + (f"; got {', '.join(chosen)}" if chosen else ""))
        return registry[chosen[0]], dict(spec[chosen[0]] or {}), path + (chosen[0],)

    def channel(self, adapter: type[Adapter], options: dict, path: PathKey, *, system: str,
                name: str, description: str = "", call_options: frozenset[str] = frozenset()
                ) -> list[tuple[str, str]]:
        """A channel's properties, after ``externalize`` turns options into parameters.

        An externalized option is named ``<system> <label>``; when the call itself sets the option
        (not the receiver), the parameter is the call's own: ``<channel> <label>``.
        """
        externalize = options.pop("externalize", None)
        fields_by_option = adapter.field_by_option()
        if externalize:
            chosen = [f for f in adapter.fields if f.ref] if externalize is True else \
                [fields_by_option[o] for o in externalize]
            for spec_field in chosen:
                raw = options.get(spec_field.option, spec_field.default)
                try:
                    value = spec_field.encode(raw) if raw != "" else ""
                except OptionError as exc:
                    raise self.error(path + (exc.option,), str(exc)) from None
                if PARAM_RE.search(value):
                    continue
                owner = name if spec_field.option in call_options else system
                param = f"{owner} {spec_field.label or spec_field.option.replace('_', ' ')}"
                self.params.externalize(param, value, spec_field, self.doc, path + ("externalize",))
                options[spec_field.option] = "{{" + param + "}}"
        try:
            values = adapter.channel(options, name=name, system=system, description=description)
        except OptionError as exc:
            raise self.error(path + (exc.option,), str(exc)) from None
        self.record_fields(adapter, values, options, path, adapter=adapter, system=system)
        return adapter.properties(values)

    def receiver(self, system: str, spec: dict, path: PathKey, allowed: tuple[str, ...] | None = None
                 ) -> tuple[Participant, type[Adapter], dict, PathKey, frozenset[str]]:
        """The receiver participant of ``system``, the merged adapter options of one call and the
        options the call itself sets."""
        if system not in self.systems:
            raise self.error(path + ("to",), f"unknown receiver {system!r}; define it under "
                             f"'receivers' ({', '.join(self.systems) or 'none defined'})")
        system_spec, system_path = self.systems[system]
        adapter, options, options_path = self.adapter_choice(system_spec, RECEIVERS, system_path)
        if allowed and adapter.spec_name not in allowed:
            raise self.error(path + ("to",), f"{system} uses {adapter.spec_name}; only "
                             f"{', '.join(allowed)} can be fed by an end event")
        for key in RECEIVERS:
            if key in spec and key != adapter.spec_name:
                raise self.error(path + (key,), f"{system} is a {adapter.spec_name} receiver, "
                                 f"not {key}")
        overrides = dict(spec.get(adapter.spec_name) or {})
        if "externalize" in overrides and "externalize" in options:
            overrides["externalize"] = _merge_externalize(options["externalize"], overrides["externalize"])
        options.update(overrides)
        if system not in self.receivers:
            participant = Participant(self.ids.next("Participant"), system, "EndpointRecevier")
            self.receivers[system] = participant
            self.participants.append(participant)
        where = path + (adapter.spec_name,) if overrides else options_path
        return self.receivers[system], adapter, options, where, frozenset(overrides) - {"externalize"}

    # -- steps ---------------------------------------------------------------------------------

    def step_set(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        values = content_modifier.ContentModifier.build(
            properties=step.get("properties") or {}, headers=step.get("headers") or {},
            body=step.get("body"), field_maps={k: v["map"] for k, v in self.module.field_maps.items()})
        for key in ("propertyTable", "headerTable", "wrapContent"):
            self.params.use_text(values[key], self.doc, path)
        node = self.step_node(content_modifier.ContentModifier, step["set"], values)
        return [Pending(self.add(scope, node, pending).id)]

    def step_script(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        file_name = GroovyScript.file_name(step["file"])
        collection = step.get("collection", "")
        if collection:
            if collection not in self.collections:
                self.collections.append(collection)
        else:
            source = self.env.scripts.get(file_name)
            if source is None:
                raise self.error(path + ("file",), f"script {file_name!r} not found under groovy/scripts/ "
                                 "(scripts are packaged into the iFlow from there)")
            self.resources[f"script/{file_name}"] = source
        values = GroovyScript.fill({"file": file_name, "function": step.get("function", ""),
                                    "collection": collection})
        node = self.step_node(GroovyScript, step["script"], values)
        return [Pending(self.add(scope, node, pending).id)]

    def step_call(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending],
                  component: type[Component] = calls.RequestReply, kind: str = "call") -> list[Pending]:
        participant, adapter, options, opath, own = self.receiver(step["to"], step, path)
        node = self.step_node(component, step[kind], component.defaults())
        self.add(scope, node, pending)
        name = step.get("channel", adapter.default_name)
        values = self.channel(adapter, options, opath, system=participant.name, name=name,
                              description=step.get("description", ""), call_options=own)
        self.message_flows.append(MessageFlow(self.ids.next("MessageFlow"), name, node.id,
                                              participant.id, values))
        return [Pending(node.id)]

    def step_send(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        return self.step_call(step, path, scope, pending, calls.Send, "send")

    def step_route(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        values = routing.Router.fill({"throw_on_default": step["throw_on_default"]}
                                     if "throw_on_default" in step else {})
        gateway = self.add(scope, self.step_node(routing.Router, step["route"], values), pending)
        kinds = set()
        out: list[Pending] = []
        for i, branch in enumerate(step["when"]):
            bpath = path + ("when", i)
            given = [k for k in ("if", "xpath") if k in branch]
            if len(given) != 1:
                raise self.error(bpath, "a route needs exactly one condition: 'if' (non-XML, "
                                        "Camel Simple) or 'xpath' (XML)")
            condition = str(branch[given[0]])
            self.params.use_text(condition, self.doc, bpath + (given[0],))
            kinds.add(given[0])
            route = Route(branch.get("name", f"Route {i + 1}"),
                          "NonXML" if given[0] == "if" else "XML", condition, False)
            out += self.sequence(branch.get("steps") or [], bpath + ("steps",), scope,
                                 [Pending(gateway.id, route)])
        if len(kinds) > 1:
            raise self.error(path + ("when",), "a router cannot mix XML ('xpath') and non-XML "
                                               "('if') conditions")
        otherwise = step.get("otherwise") or {}
        if "if" in otherwise or "xpath" in otherwise:
            raise self.error(path + ("otherwise",), "the default route has no condition")
        default = Route(otherwise.get("name", "Default"), "XML", None, True)
        out += self.sequence(otherwise.get("steps") or [], path + ("otherwise", "steps"), scope,
                             [Pending(gateway.id, default)])
        return out

    def step_process(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        values = calls.ProcessCall.defaults()
        values["processId"] = self.local_process_id(step["call"], path)
        node = self.step_node(calls.ProcessCall, step["process"], values)
        return [Pending(self.add(scope, node, pending).id)]

    def step_loop(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        self.params.use_text(step["while"], self.doc, path + ("while",))
        values = calls.LoopingProcessCall.fill({"on_max": step["on_max"]} if "on_max" in step else {})
        stamp = self.ids.stamp()
        values["loopId"] = f"StandardLoopCharacteristics_{stamp}"
        values["processId"] = self.local_process_id(step["call"], path)
        node = self.step_node(calls.LoopingProcessCall, step["loop"], values)
        node.loop = Loop(values["loopId"], int(step.get("max", 999)), f"FormalExpression_{stamp}",
                         step["while"])
        return [Pending(self.add(scope, node, pending).id)]

    def local_process_id(self, key: str, path: PathKey) -> str:
        if key not in self.local_ids:
            raise self.error(path + ("call",), f"unknown local process {key!r}; define it under "
                             f"'processes' ({', '.join(self.local_ids) or 'none defined'})")
        self.called.add(key)
        return self.local_ids[key]

    def step_split(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        options = {k: v for k, v in step.items() if k not in ("split", "splitter")}
        component = IteratingSplitter if step.get("splitter") == "iterating" else GeneralSplitter
        if not options.get("expression"):
            raise self.error(path, "a splitter needs 'expression'")
        node = self.step_node(component, step["split"], dict(self.fill(component, options, path)))
        return [Pending(self.add(scope, node, pending).id)]

    def step_datastore(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        component = DATA_STORE_OPERATIONS[step["operation"]]
        options = {k: v for k, v in step.items() if k not in ("datastore", "operation")}
        node = self.step_node(component, step["datastore"], dict(self.fill(component, options, path)))
        return [Pending(self.add(scope, node, pending).id)]

    def step_variables(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        options = {k: step[k] for k in ("encrypt", "expire_days") if k in step}
        values = WriteVariables.build(options, step["write"])
        self.params.use_text(values["variable"], self.doc, path + ("write",))
        node = self.step_node(WriteVariables, step["variables"], values)
        return [Pending(self.add(scope, node, pending).id)]

    def step_simple(self, kind: str, step: dict, path: PathKey, scope: Scope,
                    pending: list[Pending]) -> list[Pending]:
        component = SIMPLE_STEPS[kind]
        options = {k: v for k, v in step.items() if k != kind}
        props = self.fill(component, options, path)
        node = self.step_node(component, step[kind], dict(props))
        return [Pending(self.add(scope, node, pending).id)]

    def step_end(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        component = events.EndEvent if scope.local and not scope.in_subprocess else events.MessageEndEvent
        node = self.add(scope, self.event(component, step["end"]), pending)
        if "to" in step:
            if scope.local or scope.in_subprocess:
                raise self.error(path + ("to",), "only an end of the main process can feed a receiver")
            participant, adapter, options, opath, own = self.receiver(
                step["to"], step, path, allowed=("jms", "processdirect"))
            name = step.get("channel", adapter.default_name)
            values = self.channel(adapter, options, opath, system=participant.name, name=name,
                                  description=step.get("description", ""), call_options=own)
            self.message_flows.append(MessageFlow(self.ids.next("MessageFlow"), name, node.id,
                                                  participant.id, values))
        return []

    def step_error(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        self.add(scope, self.event(events.ErrorEndEvent, step["error"]), pending)
        return []

    def step_escalate(self, step: dict, path: PathKey, scope: Scope, pending: list[Pending]) -> list[Pending]:
        values = events.EscalationEndEvent.defaults()
        if step.get("code"):
            values["ErrorCode"] = str(step["code"])
        self.add(scope, self.event(events.EscalationEndEvent, step["escalate"], values), pending)
        return []


def _merge_externalize(base: Any, extra: Any) -> Any:
    if base is True or extra is True:
        return True
    return list(dict.fromkeys([*base, *extra]))


__all__ = ["BuildEnv", "FlowAssembler", "ModuleContext"]
