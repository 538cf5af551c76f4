"""serve(), as `python main.py mock-gov` runs it: prints its URL, serves, stops cleanly on a signal."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from tests.mock.support import ROOT


def _start(tmp_path, port="0"):
    return subprocess.Popen(
        [sys.executable, "-m", "services.mock", "--port", port, "--data", str(tmp_path / "cli")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(process: subprocess.Popen, signum: int) -> str:
    """Stop with `signum`; a process that does not stop is killed, so none outlives the test."""
    process.send_signal(signum)
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


def test_serve_prints_its_url_serves_and_stops_on_ctrl_c(tmp_path):
    process = _start(tmp_path)
    try:
        first = process.stdout.readline()
        match = re.match(r"Mock government endpoints at (http://127\.0\.0\.1:\d+) — "
                         r"facilitator page at \1/\?key=([\w-]{32})$", first.strip())
        assert match, first
        url, key = match.group(1), match.group(2)
        assert requests.get(f"{url}/?key={key}", timeout=10).status_code == 200
        token = requests.post(f"{url}/v1/auth/token", timeout=10, json={
            "grant_type": "password", "username": "amira", "password": "amira-demo-1"}).json()["access_token"]
        assert requests.get(f"{url}/v1/services", timeout=10).status_code == 200
    finally:
        output = _stop(process, signal.SIGINT)
    assert process.returncode == 0
    assert output.strip().endswith("Stopped.")
    # One short line per request; never a token.
    assert "POST /v1/auth/token 200" in output
    assert token not in output
    assert key not in output  # the first line (read above) had it; no request line logs it
    assert (tmp_path / "cli" / "mock-gov.sqlite3").exists()


def test_sigterm_stops_it_as_cleanly_as_ctrl_c(tmp_path):
    process = _start(tmp_path)
    try:
        assert process.stdout.readline().startswith("Mock government endpoints at ")
    finally:
        output = _stop(process, signal.SIGTERM)
    assert process.returncode == 0
    assert output.strip().endswith("Stopped.")


def test_a_taken_port_is_a_plain_message_not_a_traceback(tmp_path, mock):
    process = _start(tmp_path, port=str(mock.port))
    try:
        output, _ = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 1
    assert "in use" in output and "Traceback" not in output


def test_both_command_lines_have_the_same_options_and_defaults(monkeypatch):
    """`main.py mock-gov` and `python -m services.mock` are one parser's options: one --data default,
    the facilitator key read from the environment by the parser alone."""
    from main import build_parser as app_parser
    from services.mock.__main__ import build_parser

    monkeypatch.setenv("MOCK_ADMIN_KEY", "from-the-environment")
    alone = vars(build_parser().parse_args([]))
    in_the_app = vars(app_parser().parse_args(["mock-gov"]))
    assert {name: in_the_app[name] for name in alone} == alone
    assert alone["data"] == Path("data") / "mock-gov"
    assert alone["admin_key"] == "from-the-environment"
    assert build_parser().parse_args(["--admin-key", "from-the-flag"]).admin_key == "from-the-flag"
