"""The spec excerpt the README shows is a valid spec: it builds next to the product's own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.build import build_all


def test_readme_spec_excerpt_builds(tmp_path: Path, root: Path) -> None:
    readme = (root / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(module: create-fulfillment-order\n.*?)```", readme, re.S)
    assert match, "README.md no longer shows the spec excerpt this test checks"
    spec = (match.group(1)
            .replace("module: create-fulfillment-order", "module: readme-example")
            .replace("id: S4AMZ_Update_Fulfillment_Order", "id: README_Example")
            .replace("name: Update Fulfillment Order in Amazon BwP", "name: README Example"))
    # The excerpt leaves out the one parameter its sender names; a real module defines it.
    spec += "    parameters:\n      Release Order Address: {value: /readme/release}\n"
    shutil.copytree(root / "mappings", tmp_path / "mappings")
    shutil.copytree(root / "groovy" / "scripts", tmp_path / "groovy" / "scripts")
    (tmp_path / "mappings" / "readme-example.yaml").write_text(spec, encoding="utf-8")

    result = build_all(tmp_path)

    built = tmp_path / "iflows" / "README_Example"
    iflw = next((built / "src/main/resources/scenarioflows/integrationflow").glob("*.iflw"))
    text = iflw.read_text(encoding="utf-8")
    assert "bwpUpdateOrderRequest.groovy" in text
    assert (built / "src/main/resources/script/bwpUpdateOrderRequest.groovy").is_file()
    assert [Path(a.spec_file).name for a in result.artifacts if a.id == "README_Example"] == ["readme-example.yaml"]
