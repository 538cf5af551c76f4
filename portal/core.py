"""The citizen's side, assembled for one data folder and one set of government endpoints.

main.py builds one ``Portal`` and hands it to the commands or the app; both
reach the store, session, catalogue and courier through it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from portal.catalogue import Catalogue, load_catalogue
from portal.sealing import KEY_NAME, FolderSealer
from portal.secrets import MemoryBackend, SecretBackend, SecretStore, open_secret_store
from portal.session import Session
from portal.store import DB_NAME, SIGNED_IN, Delivery, Store
from portal.trust import TrustOptions, TrustPolicy, stored_trust

if TYPE_CHECKING:
    import requests

    from portal.courier import Courier
    from portal.transport import Transport


NO_ENDPOINTS = "http://127.0.0.1:0"  # commands that send nothing and were given no --api (main.py)


class Portal:
    def __init__(self, home: Path, api_url: str, secret_backend: SecretBackend | None = None,
                 courier_options: dict | None = None, lazy_secrets: bool = False,
                 trust: TrustOptions | None = None) -> None:
        """``lazy_secrets``: for what reads no secret (`status`): the keyring is opened, and the
        sealing key fetched, only if something needs them. Otherwise both happen here, before
        the data folder is touched, so with no usable keyring nothing is written (fails closed).
        ``trust``: the origins, authority file and pin the tester named (main.py's options);
        the stored research setting is added to them (portal/trust.py).
        """
        self.home = Path(home)
        self.api_url = api_url.rstrip("/")
        self.secrets: SecretStore = open_secret_store(self.home, secret_backend)
        # The key is read here, before the folder is touched; it is checked against the folder's
        # key id on first use and never replaced silently (FolderSealer, portal/recovery.py).
        sealer = FolderSealer(self.secrets) if lazy_secrets else \
            FolderSealer(self.secrets, self.secrets.get(KEY_NAME), fetched=True)
        self.store = Store(self.home, sealer)
        sealer.store = self.store
        self.store.contact_url = None if self.api_url == NO_ENDPOINTS else self.api_url
        self.trust_options = trust if trust is not None else TrustOptions()
        self._transport: Transport | None = None
        # The catalogue refused on this run (an untrusted origin in it), for `sync` and the app to say.
        self.catalogue_refused: str | None = None
        # requests (about 100 ms to import) loads on first use: `status` and `profile` never need it.
        self.session = Session(self.secrets, self.api_url, on_signed_in=self._note_signed_in,
                               http_factory=self.new_http)
        if not lazy_secrets and sealer.prefetched_missing() and self.store.get_setting(SIGNED_IN):
            # The keyring lost this folder's key, and perhaps its tokens with it: the "signed in"
            # marker that `status` reads is put right now, not at the next send.
            _ = self.session.signed_in
        self._catalogue: Catalogue | None = None
        self._catalogue_lock = threading.Lock()
        self._courier: Courier | None = None
        self._courier_options = courier_options or {}

    @property
    def http(self) -> requests.Session:
        """The HTTP session shared by sign-in and the catalogue (made on first use)."""
        return self.session.http

    def trust_policy(self) -> TrustPolicy:
        """The --api origin, the tester's origins and pin, and the stored research setting."""
        origins, pin = stored_trust(self.store)
        options = self.trust_options
        return TrustPolicy(self.api_url, options.origins + origins, options.ca_file, options.pin or pin)

    @property
    def transport(self) -> Transport:
        """Section 6 for every call of this Portal (portal/transport.py), made on first use."""
        if self._transport is None:
            from portal.transport import Transport

            self._transport = Transport(self.trust_policy())
        return self._transport

    def reload_trust(self) -> None:
        """After Settings saved the research setting: the next calls use it."""
        if self._transport is not None:
            self._transport.reload(self.trust_policy())

    def new_http(self, pool_maxsize: int = 10) -> requests.Session:
        """A session that applies section 6 (every HTTP call of the citizen's side is made with one)."""
        return self.transport.session(pool_maxsize)

    def catalogue(self, refresh: bool = False) -> Catalogue:
        """Fetched once per run when online (then cached); the cached or bundled copy otherwise."""
        with self._catalogue_lock:
            if self._catalogue is None or refresh:
                self._catalogue = load_catalogue(self.store, self.api_url, self.http,
                                                 policy=self.transport.policy)
                self.catalogue_refused = self._catalogue.refused
                if self._catalogue.source == "fetched":
                    self.store.set_setting("online", True)
            return self._catalogue

    def cached_catalogue(self) -> Catalogue:
        """Without touching the network: for telling offline and for the UI thread."""
        with self._catalogue_lock:
            if self._catalogue is None:
                return load_catalogue(self.store, self.api_url, online=False, policy=self._offline_policy())
            return self._catalogue

    def _offline_policy(self) -> TrustPolicy:
        return self._transport.policy if self._transport is not None else self.trust_policy()

    @property
    def courier(self) -> Courier:
        if self._courier is None:
            from portal.courier import Courier

            self._courier = Courier(self.store, self.session, self.catalogue, http_factory=self.new_http,
                                    transport=self.transport, **self._courier_options)
            self._courier.before_send = self._check_death_against_register
        return self._courier

    def _check_death_against_register(self, row: Delivery) -> str | None:
        """A death prepared offline is checked against the register before anything of it is sent."""
        if row.event != "death":
            return None
        from portal.death import register_check

        return register_check(self.store, self.session, row.tell_id)

    @property
    def signed_in(self) -> bool:
        """The folder's "signed in" marker (README, `status`), so `status` opens no keyring.

        A folder from before the marker asks the keyring once.
        """
        marker = self.store.get_setting(SIGNED_IN)
        return self.session.signed_in if marker is None else bool(marker)

    def _note_signed_in(self, value: bool) -> None:
        if self.store.get_setting(SIGNED_IN) != value:
            self.store.set_setting(SIGNED_IN, value)

    @property
    def online(self) -> bool:
        """Did the last contact with these endpoints succeed? (Another address's answer does not count.)"""
        return self.store.online

    def probe(self) -> bool:
        """Do the services answer? (GET /v1/services, no sign-in needed)."""
        try:
            self.catalogue(refresh=True)
        except Exception:
            return False
        ok = self._catalogue is not None and self._catalogue.source == "fetched"
        if not ok:  # a fetched catalogue already said online (Portal.catalogue)
            self.store.set_setting("online", False)
        return ok

    def retire_workers(self) -> None:
        """Cut the courier and the session in use loose; fresh ones are made on next use (a demo reset).

        Nothing here waits: the old courier's pool is shut down on a thread of
        its own, and the old session is signed out of a store of its own, so
        a call it still has in flight can never sign in with the next
        participant's tokens. Stop any CourierThread first and start a new one
        on ``portal.courier`` afterwards.
        """
        old_courier, self._courier = self._courier, None
        if old_courier is not None:
            threading.Thread(target=old_courier.close, name="courier-retire", daemon=True).start()
        old_session = self.session
        old_session.on_signed_in = None  # its sign-out below is its own, not this data folder's
        old_session.secrets = SecretStore(self.secrets.namespace, MemoryBackend())
        old_session.sign_out()
        self.session = Session(self.secrets, self.api_url, self.http, on_signed_in=self._note_signed_in,
                               http_factory=self.new_http)
        with self._catalogue_lock:
            self._catalogue = None

    def delete_everything(self) -> None:
        """The database (and its WAL files) and every keyring entry of this data folder, gone.

        Stop anything sending first: the portal is closed here and cannot be used again.
        """
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            (self.home / (DB_NAME + suffix)).unlink(missing_ok=True)
        self.secrets.clear()

    def close(self) -> None:
        if self._courier is not None:
            self._courier.close()
        self.store.close()
        self.secrets.close()
