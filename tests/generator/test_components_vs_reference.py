"""Every component the generator writes matches the same component in a real tenant export.

For each ``ifl:property`` block in every generated .iflw (the product's specs and the fixture that
uses every component), the cmdVariantUri must occur in a real export under
``../shared/reference/iflows/`` and the set of property keys must equal the key set that export
uses for it. The key order must be one a real export uses too.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from generator.components import ALL_COMPONENTS

NS = {"bpmn2": "http://www.omg.org/spec/BPMN/20100524/MODEL", "ifl": "http:///com.sap.ifl.model/Ifl.xsd"}

pytestmark = pytest.mark.reference


def _blocks(path: Path):
    """(owner tag, cmdVariantUri, ordered keys) of every property block with a cmdVariantUri."""
    for ext in etree.parse(str(path)).iter(f"{{{NS['bpmn2']}}}extensionElements"):
        keys = [p.findtext("key") for p in ext.findall("ifl:property", NS)]
        values = {p.findtext("key"): p.findtext("value") for p in ext.findall("ifl:property", NS)}
        if "cmdVariantUri" in values:
            yield etree.QName(ext.getparent()).localname, values["cmdVariantUri"], tuple(keys)


@pytest.fixture(scope="module")
def reference_catalog(reference: Path) -> dict[str, set[tuple[str, ...]]]:
    catalog: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for path in (reference / "iflows").rglob("*.iflw"):
        for _, uri, keys in _blocks(path):
            catalog[uri].add(keys)
    assert len(catalog) > 40, "the reference exports did not load"
    return catalog


def test_generated_components_match_real_exports(product_build, fixture_builds, reference_catalog, iflws):
    checked = 0
    uris = set()
    for result in (product_build, *fixture_builds.values()):
        for path in iflws(result):
            for tag, uri, keys in _blocks(path):
                assert uri in reference_catalog, f"{path.name}: {tag} {uri} occurs in no real export"
                real = reference_catalog[uri]
                assert set(keys) in [set(k) for k in real], (
                    f"{path.name}: {uri} keys {sorted(keys)} differ from the real export's "
                    f"{[sorted(k) for k in real]}")
                assert keys in real, f"{path.name}: {uri} key order {keys} is not an export's order"
                checked += 1
                uris.add(uri)
    assert checked > 150
    assert len(uris) >= 40


def test_every_component_class_is_exercised_by_a_build(product_build, fixture_builds, iflws):
    written = {uri for result in (product_build, *fixture_builds.values())
               for path in iflws(result) for _, uri, _ in _blocks(path)}
    missing = [c.__name__ for c in ALL_COMPONENTS if c.cmd_variant_uri() not in written]
    assert not missing, f"components no spec exercises: {missing}"


def test_every_component_class_matches_a_real_export(reference_catalog):
    for component in ALL_COMPONENTS:
        uri = component.cmd_variant_uri()
        assert uri in reference_catalog, f"{component.__name__}: {uri} occurs in no real export"
        assert tuple(component.keys) in reference_catalog[uri], f"{component.__name__}: key order"
