"""Two builds give identical bytes; zips follow the export mechanics."""

from __future__ import annotations

import io
import zipfile

from generator.build import build_all
from generator.package.artifact import read_dir


def test_two_builds_are_byte_identical(make_repo, tmp_path):
    first, second = make_repo("all-components"), tmp_path / "second"
    result_a = build_all(first)
    second.mkdir()
    import shutil
    shutil.copytree(first / "mappings", second / "mappings")
    shutil.copytree(first / "groovy", second / "groovy")
    result_b = build_all(second)
    assert [a.sha256 for a in result_a.artifacts] == [b.sha256 for b in result_b.artifacts]
    for a in result_a.artifacts:
        assert a.zip_path.read_bytes() == (second / "dist" / a.zip_path.name).read_bytes()
        assert read_dir(a.folder) == read_dir(second / "iflows" / a.id)
    assert (first / "dist/package.json").read_bytes() == (second / "dist/package.json").read_bytes()


def test_rebuild_in_place_changes_nothing(make_repo):
    root = make_repo("all-components")
    build_all(root)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    build_all(root)
    after = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    assert before == after, "an unchanged spec rewrote files"


def test_zip_mechanics_match_exports(fixture_builds):
    for artifact in fixture_builds["all-components"].artifacts:
        with zipfile.ZipFile(io.BytesIO(artifact.zip_path.read_bytes())) as archive:
            infos = archive.infolist()
            names = [i.filename for i in infos]
            assert not any(i.is_dir() for i in infos), "no directory entries"
            assert len({i.date_time for i in infos}) == 1, "one timestamp for every entry"
            assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
            assert all(i.create_system == 0 and i.external_attr == 0 for i in infos)
            assert names[-1] == "META-INF/MANIFEST.MF"
            assert infos[0].date_time == (2026, 2, 1, 12, 0, 0), "timestamp from package modified"
            if artifact.kind == "IntegrationFlow":
                assert names[0].endswith(".iflw")
                assert names[1:3] == ["src/main/resources/parameters.prop",
                                      "src/main/resources/parameters.propdef"]
            assert read_dir(artifact.folder) == {n: archive.read(n) for n in names}


def test_scripts_and_resources_are_packaged_inside_the_iflow(fixture_builds):
    artifact = next(a for a in fixture_builds["all-components"].artifacts if a.id == "Fixture_HTTPS_Flow")
    files = read_dir(artifact.folder)
    assert "src/main/resources/script/echo.groovy" in files
    assert "src/main/resources/script/stamp.groovy" in files
    assert "src/main/resources/mapping/Identity.xsl" in files
    assert "src/main/resources/edmx/Fixture.edmx" in files
    assert not any(p.endswith("logMessage.groovy") for p in files), "collection scripts are not copied"
    manifest = files["META-INF/MANIFEST.MF"].replace(b"\r\n ", b"")
    assert b'scriptcollection.Fixture_Script_Collection;resolution:=optional' in manifest
