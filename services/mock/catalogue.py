"""The six services, read from exchange/catalogue.json, the same file the app bundles."""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass
from typing import Any

DEFAULT_CATALOGUE = pathlib.Path(__file__).resolve().parents[2] / "exchange" / "catalogue.json"


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    endpoint: str
    requires: tuple[str, ...]
    accepts: tuple[str, ...]
    events: tuple[str, ...]
    # What it needs of the person who died (CONTRACT section 8); empty when it takes no death.
    death_requires: tuple[str, ...] = ()
    death_accepts: tuple[str, ...] = ()

    @property
    def entitled(self) -> frozenset[str]:
        """Every person field this service may receive: requires + accepts, nothing else."""
        return frozenset(self.requires) | frozenset(self.accepts)

    @property
    def death_entitled(self) -> frozenset[str]:
        """Every field of the deceased this service may receive: death.requires + death.accepts."""
        return frozenset(self.death_requires) | frozenset(self.death_accepts)


class Catalogue:
    def __init__(self, path: pathlib.Path | None = None) -> None:
        self.path = pathlib.Path(path or DEFAULT_CATALOGUE)
        # Served as read, so the mock and the app's bundled copy cannot drift.
        self.document: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        self.services: dict[str, Service] = {}
        for entry in self.document["services"]:
            service = Service(
                id=entry["id"],
                name=entry["name"],
                endpoint=entry["endpoint"],
                requires=tuple(entry["requires"]),
                accepts=tuple(entry["accepts"]),
                events=tuple(entry["events"]),
                death_requires=tuple(entry.get("death", {}).get("requires", ())),
                death_accepts=tuple(entry.get("death", {}).get("accepts", ())),
            )
            self.services[service.id] = service

    def __iter__(self):
        return iter(self.services.values())

    def get(self, service_id: str) -> Service | None:
        return self.services.get(service_id)

    @property
    def ids(self) -> list[str]:
        return list(self.services)
