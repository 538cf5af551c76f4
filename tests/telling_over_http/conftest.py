"""A real mock government on a loopback port, and a signed-in Portal talking to it over HTTP."""

from __future__ import annotations

import io
import json
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from portal import commands
from portal.core import Portal
from portal.secrets import MemoryBackend
from services.mock.server import MockServer
from services.mock.tokens import REFRESH_TTL_SECONDS
from tests.conftest import ADMIN, ADMIN_KEY, ROOT, run_main

# Past every token the department gave: the access token and the refresh token both refused.
SIGN_IN_ENDED = REFRESH_TTL_SECONDS + 1
# Past the access token (15 minutes) but not the refresh token: a 401, and one refresh mends it.
ACCESS_ENDED = 901

# Fast but real backoff for tests: the same code path, shorter waits.
FAST = {"backoff_base": 0.05, "backoff_cap": 0.2}


class Gov:
    """The mock, driven as a tester drives it: its admin API over HTTP."""

    def __init__(self, data_dir: Path, port: int = 0, token_ttl: int = 900) -> None:
        self.data_dir, self.token_ttl = data_dir, token_ttl
        self.port = port or free_port()
        self.server: MockServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gov:
        self.server = MockServer(port=self.port, data_dir=self.data_dir, token_ttl=self.token_ttl,
                                 admin_key=ADMIN_KEY).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def faults(self, service: str, **faults) -> None:
        response = requests.put(f"{self.url}/admin/faults/{service}", headers=ADMIN, json=faults, timeout=5)
        assert response.status_code == 200, response.text

    def heal(self) -> None:
        requests.delete(f"{self.url}/admin/faults", headers=ADMIN, timeout=5).raise_for_status()

    def later(self, seconds: float) -> None:
        """The department's clock runs ``seconds`` ahead: tokens it gave end early, as the app cannot know."""
        assert self.server is not None
        self.server.state.tokens.clock = lambda: time.time() + seconds

    def inbox(self) -> dict[str, list[dict]]:
        return requests.get(f"{self.url}/admin/inbox", headers=ADMIN, timeout=5).json()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gov(tmp_path: Path):
    gov = Gov(tmp_path / "gov").start()
    yield gov
    gov.stop()


def signed_in_portal(home: Path, api_url: str, backend=None, trust=None, **courier) -> Portal:
    portal = Portal(home, api_url, secret_backend=backend or MemoryBackend(),
                    courier_options={**FAST, **courier}, trust=trust)
    portal.session.sign_in("amira", "amira-demo-1")
    assert commands.prefill(portal, io.StringIO(), io.StringIO()) == 0
    return portal


@pytest.fixture
def portal(tmp_path: Path, gov: Gov):
    portal = signed_in_portal(tmp_path / "home", gov.url)
    yield portal
    portal.close()


# -- the command line against the mock, as a tester types it


def cli(gov: Gov, home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return run_main("--api", gov.url, *args, home=home, stdin=stdin)


def ready(gov: Gov, home: Path) -> None:
    """Signed in as Amira with her details fetched from government."""
    assert cli(gov, home, "signin", "amira", stdin="amira-demo-1\n").returncode == 0
    assert cli(gov, home, "prefill").returncode == 0


def status(gov: Gov, home: Path) -> dict:
    result = cli(gov, home, "status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sync_killed_at_random(gov: Gov, home: Path, times: int, seed: int, within: tuple[float, float]) -> list[int]:
    """`sync` started and SIGKILLed ``times`` times, each after a random wait ``within`` seconds (seeded, so a
    failure repeats); after each kill, how many deliveries were not yet delivered."""
    rng = random.Random(seed)
    argv = [sys.executable, str(ROOT / "main.py"), "--home", str(home), "--api", gov.url,
            "sync", "--until-idle", "--timeout", "60"]
    left = []
    for _ in range(times):
        child = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(rng.uniform(*within))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        left.append(sum(1 for row in status(gov, home)["deliveries"] if row["state"] != "delivered"))
    return left
