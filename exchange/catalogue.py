"""A government service as the catalogue describes it (CONTRACT section 2): one shape for both sides.

The mock reads its own catalogue.json as written; the app parses a fetched one
carefully (portal/catalogue.py). Both build this ``Service``, so "what a service
may receive" is said once: ``fields``, in the catalogue's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CATALOGUE_FILE = Path(__file__).resolve().parent / "catalogue.json"  # the bundled catalogue the mock serves


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    endpoint: str
    requires: tuple[str, ...]
    accepts: tuple[str, ...]
    events: tuple[str, ...]
    purpose: str = ""
    # What it needs of the person who died (CONTRACT section 8); empty when it takes no death.
    death_requires: tuple[str, ...] = ()
    death_accepts: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """Every person field this service may receive: requires + accepts, nothing else."""
        return self.requires + tuple(f for f in self.accepts if f not in self.requires)

    @property
    def death_fields(self) -> tuple[str, ...]:
        """Every field of the deceased it may receive: death.requires + death.accepts."""
        return self.death_requires + tuple(f for f in self.death_accepts if f not in self.death_requires)
