"""Every lint rule, in the order they run."""

from generator.lint.rules.addresses import NoHardcodedAddresses
from generator.lint.rules.diagram import DiagramComplete
from generator.lint.rules.flow_references import FlowsReferenceExistingElements
from generator.lint.rules.manifest_format import ManifestFormatRequired
from generator.lint.rules.parameters import ParametersConsistent
from generator.lint.rules.project_name import ProjectNameMatchesSymbolicName
from generator.lint.rules.resources import ReferencedResourcesPresent
from generator.lint.rules.routers import RouterRules
from generator.lint.rules.secrets import NoHardcodedCredentials
from generator.lint.rules.single_iflw import SingleWellFormedIflw
from generator.lint.rules.unique_ids import UniqueIds
from generator.lint.rules.value_mapping import ValueMappingWellFormed
from generator.lint.rules.versions import KnownComponentVersions
from generator.lint.rules.wiring import MessageFlowWiring, ProcessParticipants

RULES = (
    ManifestFormatRequired(), ProjectNameMatchesSymbolicName(), SingleWellFormedIflw(), UniqueIds(),
    FlowsReferenceExistingElements(), DiagramComplete(), RouterRules(), ParametersConsistent(),
    ReferencedResourcesPresent(), NoHardcodedCredentials(), NoHardcodedAddresses(),
    KnownComponentVersions(), MessageFlowWiring(), ProcessParticipants(), ValueMappingWellFormed(),
)
