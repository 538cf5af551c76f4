"""Everything one running mock shares between its request threads."""

from __future__ import annotations

import itertools
import pathlib
import secrets
import threading
from dataclasses import dataclass, field

from flask import current_app

from services.mock.catalogue import Catalogue
from services.mock.database import Database
from services.mock.demo import ResearchLog
from services.mock.faults import Faults
from services.mock.idempotency import IdempotencyKeys
from services.mock.inbox import Inbox
from services.mock.personas import Persona
from services.mock.registrations import Registrations
from services.mock.tokens import Tokens

EXTENSION = "mock_gov"
# How long a call chosen by timeout_rate hangs: far longer than any sane client timeout.
HANG_SECONDS = 60.0


class ChangeFeed:
    """A version string that moves whenever the facilitator page should redraw.

    It starts from a random boot id, so a restarted mock never repeats a
    version the page already saw.
    """

    def __init__(self) -> None:
        self._boot = secrets.token_hex(4)
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._version = f"{self._boot}-0"

    def bump(self) -> None:
        with self._lock:
            self._version = f"{self._boot}-{next(self._counter)}"

    @property
    def version(self) -> str:
        with self._lock:
            return self._version


@dataclass
class MockState:
    catalogue: Catalogue
    personas: dict[str, Persona]
    database: Database
    tokens: Tokens
    keys: IdempotencyKeys
    inbox: Inbox
    faults: Faults
    data_dir: pathlib.Path
    research: ResearchLog
    registrations: Registrations
    changes: ChangeFeed = field(default_factory=ChangeFeed)
    # Set when the server stops: wakes every call hanging on a fault, so stop() never waits 60 s.
    stopping: threading.Event = field(default_factory=threading.Event)
    hang_seconds: float = HANG_SECONDS


def current_state() -> MockState:
    return current_app.extensions[EXTENSION]
