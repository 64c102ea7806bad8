"""The HTML report of a failed certification, rendered by headless Chromium.

Needs Debian's `chromium` package (`apt-get install -y chromium`); skipped without it.
"""

from __future__ import annotations

import html.parser
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.server.running import ReferenceServer

from .conftest import SHIPPED_SCENARIOS, write_profile

CHROMIUM = Path("/usr/bin/chromium")
FAULTS = ("missing-location", "integer-status")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent: install Debian's package with "
           "`apt-get update && apt-get install -y chromium`",
)


def chromium(user_data: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with no network features; the page is a local file."""
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={user_data}", *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


class TextCollector(html.parser.HTMLParser):
    """Collects the visible text of a DOM and the class names of its elements."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.classes: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(value.split())

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text.append(data)


@pytest.fixture(scope="module")
def failed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.html of a certification of a reference server with two seeded faults."""
    folder = tmp_path_factory.mktemp("failed-run")
    roles = ("owner", "invalid")
    with ReferenceServer(faults=FAULTS) as faulty:
        token_env = {role: f"HH_HTML_TEST_{role.upper()}_TOKEN" for role in roles}
        environment = {token_env[role]: faulty.variables[f"tokens.{role}"] for role in roles}
        profile = write_profile(folder, faulty, token_env)
        result = CliRunner().invoke(cli, [
            "certify", str(SHIPPED_SCENARIOS / "created" / "accept.yaml"),
            str(SHIPPED_SCENARIOS / "problems" / "authentication.yaml"),
            "--profile", str(profile), "--out", str(folder / "bundle"), "--no-color",
        ], env=environment)
    assert result.exit_code == 1, result.output
    return folder / "bundle" / "report.html"


def test_dom_shows_deviations(failed_report: Path, tmp_path: Path) -> None:
    rendered = chromium(tmp_path / "profile", "--dump-dom", failed_report.as_uri())

    assert rendered.returncode == 0, rendered.stderr[-2000:]
    collector = TextCollector()
    collector.feed(rendered.stdout)
    text = " ".join(" ".join(collector.text).split())
    assert "Execution hook contract report FAILED" in text
    assert "FAILED core-created-accept-resource-type" in text
    assert "header Location is missing, but the contract requires it on a 201 response." in text
    assert "root['status'] is the integer 401" in text
    assert {"badge", "failed", "diff", "expected", "actual"} <= collector.classes


def test_dom_hides_tokens(failed_report: Path, tmp_path: Path) -> None:
    rendered = chromium(tmp_path / "profile", "--dump-dom", failed_report.as_uri())

    assert rendered.returncode == 0, rendered.stderr[-2000:]
    assert "hh-owner" not in rendered.stdout


def test_screenshot_renders(failed_report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"

    rendered = chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1600",
                        failed_report.as_uri())

    assert rendered.returncode == 0, rendered.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert os.path.getsize(shot) > 20_000
