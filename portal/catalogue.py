"""The catalogue of government services: fetched, cached, or the bundled copy.

Fetched from ``GET {api}/v1/services`` when online and cached in the store;
the cached copy when offline; ``services/catalogue.json`` (bundled with the
app) when it has never been online. Each service's endpoint is resolved when it
is used: absolute as given, or relative to the catalogue's origin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from portal.store import Store, utc_now

if TYPE_CHECKING:
    import requests

BUNDLED = Path(__file__).resolve().parent.parent / "services" / "catalogue.json"
CACHE_KEY = "catalogue"
FETCH_TIMEOUT = (3.05, 5)


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    purpose: str
    endpoint: str
    requires: tuple[str, ...]
    accepts: tuple[str, ...]
    events: tuple[str, ...]
    # What it needs of the person who died (CONTRACT section 8); empty when it takes no death.
    death_requires: tuple[str, ...] = ()
    death_accepts: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """Everything this service may receive: requires + accepts, nothing else."""
        return self.requires + tuple(f for f in self.accepts if f not in self.requires)

    @property
    def death_fields(self) -> tuple[str, ...]:
        """Everything it may receive of the person who died: death.requires + death.accepts."""
        return self.death_requires + tuple(f for f in self.death_accepts if f not in self.death_requires)


@dataclass(frozen=True)
class Catalogue:
    version: str
    services: tuple[Service, ...]
    source: str  # "fetched", "cached" or "bundled"

    def get(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def taking(self, event: str) -> list[Service]:
        return [s for s in self.services if event in s.events]


def catalogue_url(api_url: str) -> str:
    return api_url.rstrip("/") + "/v1/services"


def parse_catalogue(data: Any, api_url: str, source: str) -> Catalogue:
    """A Catalogue from the contract's JSON; raises ValueError when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise ValueError("not a catalogue")
    base = catalogue_url(api_url)
    services = []
    for item in data["services"]:
        try:
            services.append(Service(
                id=str(item["id"]), name=str(item["name"]), purpose=str(item.get("purpose", "")),
                endpoint=urljoin(base, str(item["endpoint"])),
                requires=tuple(item["requires"]), accepts=tuple(item.get("accepts", [])),
                **{"events": tuple(item["events"]), **death_needs(item)},
            ))
        except (KeyError, TypeError) as error:
            raise ValueError(f"a service in the catalogue is incomplete: {error}") from error
    return Catalogue(str(data.get("catalogue_version", "")), tuple(services), source)


def death_needs(item: dict[str, Any]) -> dict[str, Any]:
    """A service's ``death`` object (CONTRACT section 8). A service that lists the event without
    saying what it needs is taken as not taking it: sending it a guess would not be minimal."""
    if "death" not in item["events"]:
        return {}
    death = item.get("death")
    try:
        requires = tuple(str(f) for f in death["requires"])
        accepts = tuple(str(f) for f in death.get("accepts", []))
    except (KeyError, TypeError, AttributeError):
        return {"events": tuple(e for e in item["events"] if e != "death")}
    return {"death_requires": requires, "death_accepts": accepts}


def fetch_catalogue(api_url: str, http: requests.Session) -> dict[str, Any]:
    response = http.get(catalogue_url(api_url), timeout=FETCH_TIMEOUT)
    response.raise_for_status()
    return response.json()


def load_catalogue(store: Store, api_url: str, http: requests.Session | None = None,
                   online: bool = True) -> Catalogue:
    """The freshest catalogue we can have: fetched (and cached), else cached, else bundled."""
    if online and http is not None:
        import requests  # only here: commands that stay offline never load it

        try:
            data = fetch_catalogue(api_url, http)
            catalogue = parse_catalogue(data, api_url, "fetched")
        except (requests.RequestException, ValueError):
            pass
        else:
            store.set_setting(CACHE_KEY, {"fetched_at": utc_now(), "data": data})
            return catalogue
    cached = store.get_setting(CACHE_KEY)
    if cached:
        try:
            return parse_catalogue(cached["data"], api_url, "cached")
        except (ValueError, KeyError, TypeError):
            pass
    return parse_catalogue(json.loads(BUNDLED.read_text(encoding="utf-8")), api_url, "bundled")
