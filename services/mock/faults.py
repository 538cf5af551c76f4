"""Faults a tester switches on per service (CONTRACT section 5), kept in memory.

A fault decides the fate of a notification call before its key is claimed
(except latency, which is the service being slow while it works), so a call
that a fault fails stores nothing and spends no key.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

DEFAULTS: dict[str, Any] = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "error_status": 503,
    "retry_after": 1,
    "timeout_rate": 0.0,
    "down": False,
    "reject_with": None,
}
MAX_LATENCY_MS = 120_000
MAX_RETRY_AFTER = 86_400
MAX_MESSAGE = 500


@dataclass(frozen=True)
class Fault:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    retry_after: int = 1
    timeout_rate: float = 0.0
    down: bool = False
    reject_with: str | None = None

    @property
    def healthy(self) -> bool:
        return self == Fault()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_rate(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and 0.0 <= value <= 1.0


def _is_message(value: Any) -> bool:
    return value is None or (isinstance(value, str) and 0 < len(value) <= MAX_MESSAGE)


# Each fault: what its value must be, and the message when it is not.
RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "latency_ms": (lambda v: _is_int(v) and 0 <= v <= MAX_LATENCY_MS,
                   f"latency_ms must be a whole number from 0 to {MAX_LATENCY_MS}"),
    "error_rate": (_is_rate, "error_rate must be a number from 0.0 to 1.0"),
    "error_status": (lambda v: _is_int(v) and v in (503, 429), "error_status must be 503 or 429"),
    "retry_after": (lambda v: _is_int(v) and 0 <= v <= MAX_RETRY_AFTER,
                    f"retry_after must be whole seconds from 0 to {MAX_RETRY_AFTER}"),
    "timeout_rate": (_is_rate, "timeout_rate must be a number from 0.0 to 1.0"),
    "down": (lambda v: isinstance(v, bool), "down must be true or false"),
    "reject_with": (_is_message, f"reject_with must be null or a message of 1 to {MAX_MESSAGE} characters"),
}


def validate_changes(changes: Any) -> list[tuple[str, str]]:
    """What is wrong with a partial fault body; [] when it can be merged."""
    if not isinstance(changes, dict):
        return [("body", "Send the faults as a JSON object")]
    errors = []
    for name, value in changes.items():
        if name not in RULES:
            errors.append((name, f"{name} is not a fault; use one of {', '.join(sorted(RULES))}"))
            continue
        valid, message = RULES[name]
        if not valid(value):
            errors.append((name, message))
    return errors


class Faults:
    """Every service's current fault, with a random source tests can seed."""

    def __init__(self, service_ids: list[str], rng: random.Random | None = None) -> None:
        self._lock = threading.Lock()
        self._service_ids = list(service_ids)
        self._faults = {service: Fault() for service in service_ids}
        self.rng = rng or random.Random()

    def get(self, service: str) -> Fault:
        with self._lock:
            return self._faults[service]

    def merge(self, service: str, changes: dict[str, Any]) -> Fault:
        """Fields left out keep their value (the caller has validated ``changes``)."""
        with self._lock:
            merged = replace(self._faults[service], **changes)
            if "error_rate" in changes:
                merged = replace(merged, error_rate=float(merged.error_rate))
            if "timeout_rate" in changes:
                merged = replace(merged, timeout_rate=float(merged.timeout_rate))
            self._faults[service] = merged
            return merged

    def clear(self) -> None:
        with self._lock:
            self._faults = {service: Fault() for service in self._service_ids}

    def as_dict(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {service: asdict(fault) for service, fault in self._faults.items()}

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self.rng.random() < rate
