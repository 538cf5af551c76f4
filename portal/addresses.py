"""Finding an address by postcode (CONTRACT section 7): GET {api}/v1/addresses?postcode=…

No sign-in. The postcode is checked here first, with the vocabulary's own rule and
message, so a mistyped one is answered at once (offline too); the service's 422 is
shown in the same words if it disagrees. An unknown postcode is an empty list, and
the citizen can always enter the address by hand.

    find_addresses(portal.http, portal.api_url, "ls6 2ab").addresses[0]["town"]   # 'Leeds'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exchange.vocabulary import MISSING, N_, POSTCODE_RE, Message, clean_person, normalise_postcode
from portal.errors import PortalError

if TYPE_CHECKING:
    import requests

LOOKUP_TIMEOUT = (3.05, 5)
ADDRESS_KEYS = ("line1", "line2", "town", "postcode")


class AddressLookupFailed(PortalError):
    """The lookup could not be done; ``field`` is "postcode" when the postcode itself is wrong."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class AddressLookup:
    postcode: str
    addresses: list[dict[str, str]] = field(default_factory=list)


def postcode_problem(postcode: str) -> Message | None:
    """The vocabulary's message for a postcode that cannot be one, or None."""
    if not postcode.strip():
        return MISSING["address.postcode"]
    if not POSTCODE_RE.match(normalise_postcode(postcode)):
        return Message("Enter a real UK postcode, like SW1A 2AA")
    return None


def find_addresses(http: requests.Session, api_url: str, postcode: str) -> AddressLookup:
    """The addresses at ``postcode``; raises AddressLookupFailed in words a citizen can act on."""
    import requests

    from portal.transport import TrustRefused

    problem = postcode_problem(postcode)
    if problem is not None:
        raise AddressLookupFailed(problem, "postcode")
    wanted = normalise_postcode(postcode)
    try:
        response = http.get(f"{api_url.rstrip('/')}/v1/addresses", params={"postcode": wanted},
                            timeout=LOOKUP_TIMEOUT, allow_redirects=False)
    except TrustRefused as error:  # CONTRACT section 6 (plain http, certificate, redirect): said as it is
        raise AddressLookupFailed(error.args[0]) from error
    except requests.RequestException as error:
        raise AddressLookupFailed(N_("We could not look up addresses just now. Check your connection, or enter "
                                     "the address manually.")) from error
    if response.status_code == 422:
        raise AddressLookupFailed(Message("Enter a real UK postcode, like SW1A 2AA"), "postcode")
    try:
        if not response.ok:
            raise ValueError(response.status_code)
        data = response.json()
        found = [usable_address(item, wanted) for item in data["addresses"]]
    except (ValueError, KeyError, TypeError) as error:
        raise AddressLookupFailed(N_("The address finder is not working at the moment. Enter the address "
                                     "manually.")) from error
    return AddressLookup(wanted, [address for address in found if address is not None])


def usable_address(item: Any, postcode: str) -> dict[str, str] | None:
    """One answered address, normalised and checked by the vocabulary; None if it is not one."""
    if not isinstance(item, dict):
        raise TypeError("an address is not an object")
    address = {key: item[key] for key in ADDRESS_KEYS if isinstance(item.get(key), str) and item[key].strip()}
    person, errors = clean_person({"address": address}, required=())
    if errors or person["address"]["postcode"] != postcode:
        return None  # a stray answer is left out, never offered to the citizen
    return person["address"]
