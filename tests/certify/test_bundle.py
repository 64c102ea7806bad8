"""Tests of `hook-harness certify` writing a bundle and `hook-harness verify` checking it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from harness.cli.main import cli
from harness.cli.certify_extras import COMMANDS, claimed_out_folder, default_out_folder
from harness.contract import load_contract
from harness.server.world import load_world

from .conftest import REPO, SHIPPED_SCENARIOS, copy_tree

VERIFY = next(command for command in COMMANDS if command.name == "verify")


@pytest.fixture(scope="module")
def certified(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A bundle of the shipped scenarios certified against the bundled reference server."""
    out = tmp_path_factory.mktemp("certified") / "bundle"
    result = CliRunner().invoke(cli, ["certify", str(SHIPPED_SCENARIOS), "--out", str(out),
                                      "--archive", "--no-color"])
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture()
def bundle_copy(certified: tuple[Path, str], tmp_path: Path) -> Path:
    return copy_tree(certified[0], tmp_path / "bundle")


def verify(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(VERIFY, [str(path)])
    return result.exit_code, result.output


def first_cassette(bundle: Path) -> Path:
    return sorted((bundle / "cassettes").glob("*.yaml"))[0]


@pytest.mark.parametrize("name", ["report.json", "report.xml", "report.html", "manifest.json"])
def test_bundle_has_file(certified: tuple[Path, str], name: str) -> None:
    assert (certified[0] / name).is_file()


def test_bundle_has_cassettes_and_archive(certified: tuple[Path, str]) -> None:
    bundle = certified[0]

    assert len(list((bundle / "cassettes").glob("*.yaml"))) > 100
    assert (bundle.parent / "bundle.tar.gz").is_file()


def test_manifest_contents(certified: tuple[Path, str]) -> None:
    bundle = certified[0]
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))

    assert manifest["contract"] == {"version": "1.3", "sha256": load_contract("1.3").digest()}
    for library in ("python", "vcrpy", "deepdiff", "faker", "pytest", "uvicorn", "jsonschema"):
        assert manifest["libraries"][library] != "not installed", library
    assert manifest["seed"] is None
    assert manifest["target"].startswith("reference server http://127.0.0.1:")
    assert manifest["certification"]["passed"] is True
    listed = manifest["files"]
    assert {"report.json", "report.xml", "report.html"} <= set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest, name


def test_bundle_holds_no_token(certified: tuple[Path, str]) -> None:
    tokens = [user.token for account in load_world().accounts.values() for user in account.users]
    assert tokens
    for path in certified[0].rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not [token for token in tokens if token in text], path


def test_report_has_traceability(certified: tuple[Path, str]) -> None:
    report = json.loads((certified[0] / "report.json").read_text(encoding="utf-8"))

    assert report["certification"]["passed"] is True
    assert report["traceability"]["gate"] == {"passed": True, "gaps": []}
    ids = {item["id"] for item in report["traceability"]["requirements"]}
    assert {"status.201", "problem.168", "header.etag", "request.name.length"} <= ids
    assert set(report["traceability"]["uncovered"]) < ids


def test_terminal_shows_traceability(certified: tuple[Path, str]) -> None:
    output = certified[1]

    assert "Requirement coverage (contract version 1.3)" in output
    assert "Coverage gate: PASSED" in output
    assert "CERTIFICATION: PASSED" in output


def test_verify_folder_passes(certified: tuple[Path, str]) -> None:
    code, output = verify(certified[0])

    assert code == 0, output
    assert "VERIFIED" in output


def test_verify_archive_passes(certified: tuple[Path, str]) -> None:
    code, output = verify(certified[0].parent / "bundle.tar.gz")

    assert code == 0, output


def test_verify_fails_after_one_byte(bundle_copy: Path) -> None:
    cassette = first_cassette(bundle_copy)
    data = bytearray(cassette.read_bytes())
    data[len(data) // 2] ^= 0x01
    cassette.write_bytes(bytes(data))

    code, output = verify(bundle_copy)

    assert code == 1
    assert f"FAILED cassettes/{cassette.name}: SHA-256 is" in output


@pytest.mark.parametrize("change", ["remove-cassette", "extra-cassette", "edit-report"])
def test_verify_fails_on_tampering(bundle_copy: Path, change: str) -> None:
    cassette = first_cassette(bundle_copy)
    if change == "remove-cassette":
        cassette.unlink()
        named = f"cassettes/{cassette.name}: missing"
    elif change == "extra-cassette":
        (bundle_copy / "cassettes" / "zz-extra.yaml").write_bytes(cassette.read_bytes())
        named = "cassettes/zz-extra.yaml: extra file"
    else:
        (bundle_copy / "report.json").write_text("{}\n", encoding="utf-8")
        named = "report.json: SHA-256 is"

    code, output = verify(bundle_copy)

    assert code == 1
    assert named in output


def test_verify_rechecks_responses(bundle_copy: Path) -> None:
    """A response edited consistently with the manifest still fails the contract check."""
    cassette = bundle_copy / "cassettes" / "core-created-minimal-body.yaml"
    document = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    headers = document["interactions"][-1]["response"]["headers"]
    for name in [name for name in headers if name.lower() == "location"]:
        del headers[name]
    cassette.write_text(yaml.safe_dump(document), encoding="utf-8")
    manifest_path = bundle_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["cassettes/core-created-minimal-body.yaml"] = hashlib.sha256(
        cassette.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    code, output = verify(bundle_copy)

    assert code == 1
    assert "cassettes/core-created-minimal-body.yaml: interaction 0" in output
    assert "header Location [contract missing-header]" in output
    assert "SHA-256" not in output


def test_verify_tampered_archive(bundle_copy: Path, tmp_path: Path) -> None:
    (bundle_copy / "cassettes" / "zz-extra.yaml").write_text("x\n", encoding="utf-8")
    archive = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "w:gz") as packed:
        packed.add(bundle_copy, arcname="bundle")

    code, output = verify(archive)

    assert code == 1
    assert "cassettes/zz-extra.yaml: extra file" in output


def test_verify_not_a_bundle(tmp_path: Path) -> None:
    code, output = verify(tmp_path)

    assert code == 1
    assert "manifest.json not found" in output


def test_gate_fails_partial_suite(tmp_path: Path) -> None:
    out = tmp_path / "partial"
    out.mkdir()

    result = CliRunner().invoke(cli, ["certify", str(SHIPPED_SCENARIOS / "problems" / "authentication.yaml"),
                                      "--out", str(out), "--no-color"])

    assert result.exit_code == 1
    assert "Coverage gate: FAILED" in result.output
    assert "problem.168 has no passing scenario on the core path" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["certification"]["coverage_gate_passed"] is False
    code, output = verify(out)
    assert code == 1
    assert "recorded verdict: FAILED" in output
    assert "is unaltered and every recorded response conforms, but it certifies a failed" in output
    assert "VERIFIED" not in output


def test_verify_prints_passed_verdict(certified: tuple[Path, str]) -> None:
    output = verify(certified[0])[1]

    assert "recorded verdict: PASSED" in output


def rewrite_manifest(bundle: Path, change: Callable[[dict[str, Any]], None]) -> None:
    manifest_path = bundle / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    change(manifest)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def rehash(bundle: Path, name: str) -> None:
    digest = hashlib.sha256((bundle / name).read_bytes()).hexdigest()
    rewrite_manifest(bundle, lambda manifest: manifest["files"].__setitem__(name, digest))


def test_verify_rejects_manifest_only_folder(tmp_path: Path) -> None:
    contract = load_contract("1.3")
    manifest = {"format": "hook-harness-bundle", "format_version": 2, "strict": True,
                "contract": {"version": "1.3", "sha256": contract.digest()},
                "certification": {"passed": True}, "files": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    code, output = verify(tmp_path)

    assert code == 1
    assert "FAILED report.json: missing" in output
    assert "FAILED report.xml: missing" in output
    assert "FAILED report.html: missing" in output
    assert "FAILED cassettes/: missing" in output
    assert "VERIFIED" not in output


def test_verify_detects_lenient_manifest(bundle_copy: Path) -> None:
    """An undocumented key, with Etag and hashes fixed and strict turned off, still fails."""
    name = "cassettes/core-created-minimal-body.yaml"
    cassette = bundle_copy / name
    document = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    response = document["interactions"][-1]["response"]
    body = json.loads(response["body"]["string"])
    body["undocumented"] = "added"
    text = json.dumps(body, separators=(",", ":"))
    response["body"]["string"] = text
    response["headers"]["etag"] = [hashlib.md5(text.encode()).hexdigest()]
    response["headers"]["content-length"] = [str(len(text.encode()))]
    cassette.write_text(yaml.safe_dump(document), encoding="utf-8")
    rehash(bundle_copy, name)
    rewrite_manifest(bundle_copy, lambda manifest: manifest.__setitem__("strict", False))

    code, output = verify(bundle_copy)

    assert code == 1
    assert "FAILED manifest.json: field 'strict' is false, but report.json records true" in output
    assert f"FAILED {name}: interaction 0" in output
    assert "undocumented" in output
    assert "SHA-256" not in output


def test_verify_detects_flipped_verdict(tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    result = CliRunner().invoke(cli, ["certify", str(SHIPPED_SCENARIOS / "problems" / "authentication.yaml"),
                                      "--out", str(partial), "--no-color"])
    assert result.exit_code == 1
    rewrite_manifest(partial, lambda manifest: manifest["certification"].__setitem__("passed", True))

    code, output = verify(partial)

    assert code == 1
    assert "field 'certification.passed' is true, but report.json records false" in output
    assert "recorded verdict: FAILED" in output


def test_verify_corrupt_cassette_is_damage(bundle_copy: Path) -> None:
    cassette = first_cassette(bundle_copy)
    cassette.write_text("interactions: [\n", encoding="utf-8")
    rehash(bundle_copy, f"cassettes/{cassette.name}")

    code, output = verify(bundle_copy)

    assert code == 1
    assert f"FAILED cassettes/{cassette.name}: cannot be read" in output
    assert "the bundle is damaged" in output
    assert "re-record" not in output


def test_archive_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    archive = tmp_path / "bundle.tar.gz"
    archive.write_bytes(b"earlier archive")

    result = CliRunner().invoke(cli, ["certify", str(SHIPPED_SCENARIOS / "problems" / "authentication.yaml"),
                                      "--out", str(out), "--archive", "--no-color"])

    assert result.exit_code == 2
    assert f"{archive} already exists" in result.output
    assert archive.read_bytes() == b"earlier archive"
    assert not out.exists()


def test_out_claimed_by_other_run(tmp_path: Path) -> None:
    out = tmp_path / "bundle"

    with claimed_out_folder(out, archive=False):
        with pytest.raises(click.UsageError) as raised:
            with claimed_out_folder(out, archive=False):
                pass

    assert f"--out {out} is in use by another certify run" in raised.value.message
    assert list(out.iterdir()) == []


def test_out_with_files_rejected(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("earlier\n", encoding="utf-8")

    with pytest.raises(click.UsageError) as raised:
        with claimed_out_folder(tmp_path, archive=False):
            pass

    assert "already contains files (old.txt)" in raised.value.message
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.txt"]


def test_concurrent_certify_one_folder(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    command = [sys.executable, "-m", "harness.cli.main", "certify",
               str(SHIPPED_SCENARIOS / "problems" / "authentication.yaml"), "--out", str(out),
               "--no-color"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [run.communicate()[0] for run in runs]
    codes = sorted(run.returncode for run in runs)

    # The run that claims the folder fails only the coverage gate, the other with a usage error.
    assert codes == [1, 2], outputs
    assert any(f"--out {out}" in output for output in outputs), outputs
    assert "VERIFY FAILED" not in verify(out)[1]
    assert not list(out.glob(".*"))


def test_default_out_folder_unique() -> None:
    name = default_out_folder().name

    assert re.fullmatch(rf"certify-\d{{8}}T\d{{6}}\.\d{{6}}Z-{os.getpid()}", name), name


def test_out_help_matches_docs() -> None:
    help_text = CliRunner().invoke(cli, ["certify", "--help"], terminal_width=200).output
    docs = (REPO / "docs" / "certification.md").read_text(encoding="utf-8")

    assert "must be new or empty" in " ".join(help_text.split())
    assert "`--out` must be new or empty" in " ".join(docs.split())


def test_verify_detects_removed_cassette(bundle_copy: Path) -> None:
    removed = "cassettes/core-problem-11-viewer.yaml"
    (bundle_copy / removed).unlink()
    rewrite_manifest(bundle_copy, lambda manifest: manifest["files"].pop(removed))

    code, output = verify(bundle_copy)

    assert code == 1
    assert removed in output
    assert "report.json records" in output
