"""The six services, read from exchange/catalogue.json, the same file the app bundles."""

from __future__ import annotations

import json
import pathlib
from typing import Any

from exchange.catalogue import CATALOGUE_FILE, Service


class Catalogue:
    def __init__(self, path: pathlib.Path | None = None) -> None:
        self.path = pathlib.Path(path or CATALOGUE_FILE)
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
                purpose=entry.get("purpose", ""),
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
