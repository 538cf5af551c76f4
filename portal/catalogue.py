"""The catalogue of government services: fetched, cached, or the bundled copy.

Fetched from ``GET {api}/v1/services`` when online and cached in the store;
the cached copy when offline; ``exchange/catalogue.json`` (bundled with the
app) when it has never been online. Each service's endpoint is resolved when it
is used: absolute as given, or relative to the catalogue's origin.

CONTRACT section 6: a catalogue naming an origin that is not trusted
(portal/trust.py) is refused whole, fetched or cached: nothing is sent there,
the last good catalogue stays in use, and ``Catalogue.refused`` says which
origin it named (`sync` prints it; the app shows it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from exchange.catalogue import CATALOGUE_FILE, Service
from exchange.vocabulary import N_, Message, visible
from portal.store import Store, utc_now

if TYPE_CHECKING:
    import requests

    from portal.trust import TrustPolicy

CACHE_KEY = "catalogue"
FETCH_TIMEOUT = (3.05, 5)
REFUSED = N_("The list of services names {origin}, which is not a trusted address, so the list was not used "
             "and nothing was sent there. The last list that could be trusted is still in use.")


class CatalogueRefused(ValueError):
    """A catalogue naming an untrusted origin; the message names it."""


@dataclass(frozen=True)
class Catalogue:
    version: str
    services: tuple[Service, ...]
    source: str  # "fetched", "cached" or "bundled"
    refused: str | None = None  # why a fresher catalogue was not used (section 6), for the citizen

    def get(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def taking(self, event: str) -> list[Service]:
        return [s for s in self.services if event in s.events]


def catalogue_url(api_url: str) -> str:
    return api_url.rstrip("/") + "/v1/services"


def _names(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError(f"a service's {what} is not a list of names")
    return tuple(value)


def parse_catalogue(data: Any, api_url: str, source: str, policy: TrustPolicy | None = None) -> Catalogue:
    """A Catalogue from the contract's JSON; raises ValueError when it is not one, and
    CatalogueRefused when ``policy`` does not trust an origin one of its endpoints names."""
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise ValueError("not a catalogue")
    base = catalogue_url(api_url)
    services = []
    for item in data["services"]:
        try:
            services.append(Service(
                # A catalogue's words are a server's: control and format characters shown as escapes.
                id=visible(item["id"]), name=visible(item["name"]), purpose=visible(item.get("purpose", "")),
                endpoint=urljoin(base, str(item["endpoint"])),
                requires=_names(item["requires"], "requires"), accepts=_names(item.get("accepts", []), "accepts"),
                **{"events": _names(item["events"], "events"), **death_needs(item)},
            ))
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"a service in the catalogue is incomplete: {error}") from error
    if policy is not None:
        check_origins(services, policy)
    return Catalogue(str(data.get("catalogue_version", "")), tuple(services), source)


def death_needs(item: dict[str, Any]) -> dict[str, Any]:
    """A service's ``death`` object (CONTRACT section 8). A service that lists the event without
    saying what it needs is taken as not taking it: sending it a guess would not be minimal."""
    if "death" not in item["events"]:
        return {}
    death = item.get("death")
    try:
        requires = _names(death["requires"], "death.requires")
        accepts = _names(death.get("accepts", []), "death.accepts")
    except (KeyError, TypeError, AttributeError, ValueError):
        return {"events": tuple(e for e in item["events"] if e != "death")}
    return {"death_requires": requires, "death_accepts": accepts}


def check_origins(services: list[Service], policy: TrustPolicy) -> None:
    """Section 6: every endpoint on a trusted origin, or the whole catalogue is refused."""
    from portal.trust import UntrustedOrigin, origin_of

    for service in services:
        refusal = policy.refusal(service.endpoint)
        if refusal is not None:
            try:
                origin = origin_of(service.endpoint)
            except ValueError:
                origin = service.endpoint
            if isinstance(refusal, UntrustedOrigin) or origin not in policy.origins:
                raise CatalogueRefused(Message(REFUSED, origin=origin))
            raise CatalogueRefused(refusal.args[0])


def fetch_catalogue(api_url: str, http: requests.Session) -> dict[str, Any]:
    from portal.transport import read_json

    response = http.get(catalogue_url(api_url), timeout=FETCH_TIMEOUT)
    response.raise_for_status()
    return read_json(response)


def load_catalogue(store: Store, api_url: str, http: requests.Session | None = None,
                   online: bool = True, policy: TrustPolicy | None = None) -> Catalogue:
    """The freshest catalogue we can have: fetched (and cached), else cached, else bundled.

    A catalogue the policy refuses is never cached nor used: the next freshest is,
    and its ``refused`` says why.
    """
    refused: str | None = None
    if online and http is not None:
        import requests  # only here: commands that stay offline never load it

        from portal.trust import TrustRefused

        try:
            data = fetch_catalogue(api_url, http)
            catalogue = parse_catalogue(data, api_url, "fetched", policy)
        except CatalogueRefused as error:
            refused = error.args[0]
        except TrustRefused as error:  # plain http, certificate, redirect: said, not hidden
            refused = error.args[0]
        except (requests.RequestException, ValueError, RecursionError):
            pass
        else:
            store.set_setting(CACHE_KEY, {"fetched_at": utc_now(), "data": data})
            return catalogue
    cached = store.get_setting(CACHE_KEY)
    if cached:
        try:
            return replace(parse_catalogue(cached["data"], api_url, "cached", policy), refused=refused)
        except CatalogueRefused as error:
            refused = refused or error.args[0]
        except (ValueError, KeyError, TypeError):
            pass
    bundled = parse_catalogue(json.loads(CATALOGUE_FILE.read_text(encoding="utf-8")), api_url, "bundled")
    return replace(bundled, refused=refused)
