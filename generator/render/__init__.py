"""Render models into artifact files: the .iflw, MANIFEST, .project, metainfo, parameters, VM."""

from __future__ import annotations

from generator.model.iflow import IFlow
from generator.package.artifact import Artifact
from generator.render import manifest, parameters, project, value_mapping
from generator.render.iflw import render_iflw

IFLW_DIR = "src/main/resources/scenarioflows/integrationflow/"


def render_iflow(iflow: IFlow) -> Artifact:
    """Every file of an iFlow artifact."""
    files = {
        IFLW_DIR + iflow.file_name: render_iflw(iflow),
        "src/main/resources/parameters.prop": parameters.render_prop(iflow.parameters, iflow.modified_ms),
        "src/main/resources/parameters.propdef": parameters.render_propdef(iflow.parameters),
    }
    for path, source in iflow.resources.items():
        files[f"src/main/resources/{path}"] = source.read_bytes()
    files[".project"] = project.render_project(iflow.id)
    files["metainfo.prop"] = project.render_metainfo(iflow.description, iflow.modified_ms)
    files["META-INF/MANIFEST.MF"] = manifest.render(manifest.iflow_headers(
        name=iflow.name, symbolic_name=iflow.id, version=iflow.version, singleton=iflow.singleton,
        collections=iflow.script_collections, modified_ms=iflow.modified_ms))
    return Artifact(iflow.id, iflow.name, iflow.version, "IntegrationFlow", iflow.modified_ms, files,
                    iflow.description)


def render_value_mapping(*, id: str, name: str, version: str, description: str,
                         groups: list[value_mapping.Group], modified_ms: int) -> Artifact:
    """A value mapping artifact."""
    files = {
        "value_mapping.xml": value_mapping.render(groups),
        ".project": project.render_project(id, "ValueMapping"),
        "META-INF/MANIFEST.MF": manifest.render(manifest.value_mapping_headers(
            name=name, symbolic_name=id, version=version, modified_ms=modified_ms)),
    }
    return Artifact(id, name, version, "ValueMapping", modified_ms, files, description)
