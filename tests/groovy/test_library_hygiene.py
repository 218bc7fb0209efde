"""Every library script, on both runtimes: runs on a realistic message, gives the same result when
called twice on the shared (tenant-like) binding, and leaves nothing in the binding."""

from __future__ import annotations

import pytest

from harness.scripthost import ScriptHost, ScriptMessage, scripts_dir

from groovy_helpers import library_script
from groovy_samples import SAMPLES, Sample


def _call(host: ScriptHost, sample: Sample):
    message = ScriptMessage(body=sample.body_text(), headers=dict(sample.headers), properties=dict(sample.properties))
    return host.run(library_script(sample.script), sample.function, message,
                    value_mappings=sample.value_mappings, credentials=sample.credentials)


def test_every_script_has_a_sample() -> None:
    names = {p.stem for p in scripts_dir().rglob("*.groovy")}
    sampled = {s.script for s in SAMPLES}
    assert names - sampled == set(), f"library scripts without a sample call: {sorted(names - sampled)}"
    assert len(names) == len(list(scripts_dir().rglob("*.groovy"))), "script file names must be unique across folders"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.id)
def test_script_is_repeatable_and_leaves_no_binding_state(host: ScriptHost, sample: Sample) -> None:
    first = _call(host, sample)
    assert first.exception is None, f"{sample.id} failed on Groovy {host.version}: {first.exception}"
    assert first.returned_message, f"{sample.id} must return the message"
    second = _call(host, sample)
    assert second.exception is None
    assert second.body == first.body
    assert second.properties == first.properties
    assert second.headers == first.headers
    assert [a.text for a in second.log_attachments] == [a.text for a in first.log_attachments]
    assert second.binding_variables == ["messageLogFactory"], (
        f"{sample.id} leaks state through the script binding (variables assigned without def): "
        f"{second.binding_variables}")
    assert second.stdout == "", f"{sample.id} prints to stdout: {second.stdout!r}"
