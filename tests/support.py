"""Helpers every test folder shares."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float = 10.0, step: float = 0.02) -> T:
    """Poll ``condition`` until it is truthy or ``timeout`` seconds have passed; its last value.

    Bounded, so a test that waits for something that never comes fails instead of hanging;
    it returns as soon as the condition holds, so a generous timeout costs nothing.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)
