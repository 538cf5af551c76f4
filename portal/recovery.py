"""Start again on this device: what no longer opens is removed, never silently replaced.

When the sealing key is gone from the keyring (wiped, replaced) or a sealed row
was changed, nothing can bring those details back. The citizen is told so in
plain words (portal.sealing's messages) and offered this one way back:

- every saved version of the details that does not open is deleted (the
  citizen enters the details again, imports them or fetches them);
- every notification still waiting whose frozen body does not open needs
  attention ("tell again") and is never retried;
- with the key lost, the folder gets a fresh key (its id kept beside it).

Notifications already delivered keep their receipts and audit rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from exchange.vocabulary import N_
from portal.errors import SealBroken
from portal.sealing import UNOPENABLE_SETTING, FolderSealer
from portal.store import IS_PENDING, DeliveryState, Store, utc_now

UNOPENABLE_DELIVERY = N_("This notification could not be opened on this device, so it was not sent. "
                         "Tell this service again.")


@dataclass(frozen=True)
class StartedAgain:
    versions_removed: int
    deliveries_to_tell_again: int


def details_open(store: Store) -> bool:
    """Do the saved details open? (True when there are none.)"""
    try:
        store.current_profile()
    except SealBroken:
        return False
    return True


def unopenable(store: Store, sql: str, identity: str) -> list:
    """The ``key`` of each row ``sql`` reads whose ``sealed`` column no longer opens (``identity`` is the row's
    associated data, formatted from the row: "profile:{row_key}")."""
    broken = []
    for row in store.db.query(sql):
        try:
            store.sealer.open(row["sealed"], identity.format(**row))
        except SealBroken:
            broken.append(row["key"])
    return broken


def start_again(store: Store) -> StartedAgain:
    """Remove what cannot be opened and carry on with what can (see the module's words)."""
    sealer = store.sealer
    if isinstance(sealer, FolderSealer) and sealer.key_lost():
        sealer.fresh_key()
    broken_versions = unopenable(store, "select version as key, row_key, sealed from profile_versions "
                                 "order by version", "profile:{row_key}")
    broken_cases = unopenable(store, "select id as key, id, sealed from death_cases", "death_case:{id}")
    broken_deliveries = unopenable(store, f"select id as key, id, body as sealed from deliveries where {IS_PENDING}",
                                   "delivery:{id}")
    for delivery_id in broken_deliveries:
        store.finish_attempt(delivery_id, state=DeliveryState.NEEDS_ATTENTION, last_error=UNOPENABLE_DELIVERY,
                             audit={"at": utc_now(), "outcome": DeliveryState.NEEDS_ATTENTION, "http_status": None,
                                    "detail": UNOPENABLE_DELIVERY})
    store.db.execute("PRAGMA secure_delete = ON")  # the removed rows' pages are zeroed
    with store.atomic() as db:
        for version in broken_versions:
            db.execute("delete from profile_versions where version = ?", [version])
        for case_id in broken_cases:
            db.execute("delete from death_cases where id = ?", [case_id])
    store.set_setting(UNOPENABLE_SETTING, False)
    return StartedAgain(len(broken_versions), len(broken_deliveries))
