"""CI runs every test: a missing tool fails the run instead of skipping tests."""
import os
import subprocess

import pytest

from conftest import ROOT, require

CHROMIUM = ROOT / ".ci" / "chromium"


def test_a_missing_tool_fails_in_ci_and_skips_elsewhere(monkeypatch):
    assert require("/usr/bin/tool", "tool") == "/usr/bin/tool"
    for value in ("true", "1", "TRUE"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.fail.Exception, match="tool is missing"):
            require(None, "tool")
    for value in ("", "false"):
        monkeypatch.setenv("CI", value)
        with pytest.raises(pytest.skip.Exception, match="tool is missing"):
            require(None, "tool")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require("", "tool")


def stub(folder, name, script):
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)


def run_install(tmp_path, *stubs):
    """.ci/chromium with a PATH of stubs only (and the shell's own tools)."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for name, script in stubs:
        stub(bin_, name, script)
    for tool in ("bash", "sh", "env"):
        for folder in ("/usr/bin", "/bin"):
            if os.path.exists(f"{folder}/{tool}") and not (bin_ / tool).exists():
                (bin_ / tool).symlink_to(f"{folder}/{tool}")
    env = {"PATH": str(bin_), "HOME": str(tmp_path), "LOG": str(tmp_path / "log")}
    return subprocess.run(["bash", str(CHROMIUM)], capture_output=True, text=True, env=env, cwd=ROOT)


def test_ci_fails_when_chromium_cannot_be_installed(tmp_path):
    proc = run_install(tmp_path, ("apt-get", 'echo "apt-get $*" >> "$LOG"; exit 100'))
    assert proc.returncode != 0
    assert "chromium could not be installed" in proc.stderr
    assert "apt-get update" in (tmp_path / "log").read_text()  # it did try


def test_ci_fails_when_the_install_gives_no_chromium(tmp_path):
    proc = run_install(tmp_path, ("apt-get", 'echo "apt-get $*" >> "$LOG"; exit 0'))
    assert proc.returncode != 0 and "chromium could not be installed" in proc.stderr


def test_ci_goes_on_when_chromium_is_there(tmp_path):
    proc = run_install(tmp_path, ("chromium", "exit 0"), ("apt-get", 'echo "apt-get $*" >> "$LOG"; exit 100'))
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "log").exists()  # nothing installed


def test_ci_run_installs_chromium_and_sets_ci():
    """.ci/run stops when .ci/chromium fails (set -e) and runs the tests with CI=true."""
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert "set -euo pipefail" in lines
    tests = next(i for i, line in enumerate(lines) if "python -m pytest" in line)
    assert lines.index(".ci/chromium") < tests and lines.index("export CI=true") < tests
    assert not any("||" in line for line in lines[lines.index(".ci/chromium") : tests])
