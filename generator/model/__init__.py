"""The in-memory model of an iFlow: what the renderer turns into BPMN2 XML and files."""


from generator.model.iflow import (
    EventDefinition, IFlow, Loop, MessageFlow, Node, Parameter, ParamReference, Participant,
    Process, SequenceFlow,
)

__all__ = ["EventDefinition", "IFlow", "Loop", "MessageFlow", "Node", "Parameter", "ParamReference",
           "Participant", "Process", "SequenceFlow"]
