"""User-research mode, app side (README, "User research mode"): ``reset_demo``, ``DemoWatcher``, ``Demo``.

Every /admin call carries the facilitator key (CONTRACT section 5); without it
the mock answers 401 and the app behaves as with a real department. The
watcher's callbacks run on its own thread: hop to the UI thread before touching widgets.

A reset empties every table in one transaction instead of deleting
``portal.db``: the courier's pool and the UI's worker keep connections open,
and a file deleted under them would take their writes where nobody reads them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from exchange.personas import PERSONAS_FILE, read_personas
from exchange.research_terms import flatten_values
from portal.errors import PortalError
from portal.prefill import prefill_from_government
from portal.research import ResearchLog
from portal.sealing import sealer_for
from portal.store import Store

log = logging.getLogger(__name__)

ADMIN_TIMEOUT = (1.0, 3.0)
FACILITATOR_KEY_SETTING = "facilitator_key"
POLL_INTERVAL = 1.0
MAX_POLL_INTERVAL = 10.0


class NotADemo(PortalError):
    """The endpoints are not the mock: there is nothing to reset (a real department has no demo)."""


@dataclass(frozen=True)
class DemoReset:
    generation: int      # the mock's reset generation after this reset
    seconds: float       # how long the whole reset took
    profile_version: int


def persona_password(username: str, path: Path = PERSONAS_FILE) -> str:
    """A demo persona's password, from the personas the mock and the app both ship."""
    for entry in read_personas(path):
        if entry["username"] == username:
            return entry["password"]
    raise NotADemo(f"There is no demo persona called {username}.")


def profile_values(store: Store) -> list[str]:
    """Every value of the current details, for the research log to keep out (read on its thread)."""
    profile = store.current_profile()
    return flatten_values(profile.person) if profile else []


def admin_headers(admin_key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {admin_key}"} if admin_key else {}


def demo_status(api_url: str, http: requests.Session | None = None, admin_key: str | None = None) -> dict[str, Any]:
    """GET /admin/demo: {"generation", "scenario", "scenario_label", "research_log", "research_events"}."""
    try:
        response = (http or requests).get(f"{api_url.rstrip('/')}/admin/demo", headers=admin_headers(admin_key),
                                          timeout=ADMIN_TIMEOUT)
    except requests.RequestException as error:
        raise NotADemo("The demo's mock government cannot be reached. Is it running?") from error
    if response.status_code == 401:
        raise NotADemo("The mock government needs the facilitator key: enter it in the research settings.")
    if response.status_code != 200:
        raise NotADemo("These government endpoints are not a demo: there is nothing to reset.")
    return response.json()


def wipe_app_data(store: Store) -> None:
    """Every row of every table gone, in one transaction; the schema and migrations stay."""
    db = store.db
    db.execute("PRAGMA secure_delete = ON")
    tables = [name for name in db.table_names() if name != "_sqlite_migrations" and not name.startswith("sqlite_")]
    with store.atomic() as tx:
        tx.execute("PRAGMA defer_foreign_keys = ON")  # children and parents go together
        for name in tables:
            tx.execute(f'DELETE FROM "{name}"')
        if "sqlite_sequence" in db.table_names():
            tx.execute("DELETE FROM sqlite_sequence")


def reset_demo(portal, username: str, password: str, *, research: ResearchLog | None = None,
               watcher: DemoWatcher | None = None, courier_thread: Any | None = None,
               admin_key: str | None = None) -> DemoReset:
    """Everything back to the start, then ``username`` signed in and prefilled; under two seconds.

    Stops ``courier_thread`` (without waiting for a call in flight: its result
    lands on rows that are gone), retires the portal's courier and session,
    resets the mock, empties this data folder and its keyring entries, makes
    a fresh sealing key, signs in and prefills. Start a new CourierThread on
    ``portal.courier`` afterwards. Raises NotADemo (before changing anything)
    when the endpoints are not the mock, and Offline / SignInRefused from the
    sign-in.
    """
    started = time.monotonic()
    api = portal.api_url
    demo_status(api, portal.http, admin_key)  # a real department: stop here, with the citizen's data untouched
    if research is not None:
        research.new_session()
    if courier_thread is not None:
        courier_thread.stop()
    if watcher is not None:
        watcher.hold()
    try:
        portal.retire_workers()
        wipe_app_data(portal.store)
        portal.secrets.clear()
        portal.store.sealer = sealer_for(portal.secrets)  # a fresh key: the last participant's is gone
        try:
            response = portal.http.post(f"{api}/admin/reset", headers=admin_headers(admin_key),
                                        timeout=ADMIN_TIMEOUT)
            response.raise_for_status()
            generation = int(response.json()["generation"])
        except (requests.RequestException, ValueError, KeyError) as error:
            raise NotADemo("The demo's mock government could not be reset. Is it running?") from error
        if watcher is not None:
            watcher.acknowledge(generation)
        portal.session.sign_in(username, password)
        portal.store.set_setting("online", True)
        result = prefill_from_government(portal)
    finally:
        if watcher is not None:
            watcher.release()
    return DemoReset(generation, time.monotonic() - started, result.version)


class DemoWatcher:
    """Polls GET /admin/demo on its own thread; tells the app of a reset made elsewhere.

    ``on_reset(status)`` when the reset generation moved, ``on_status(status)`` on every
    change of scenario or research switch; a real department has no /admin/demo (404): it stops.
    """

    def __init__(self, api_url: str, on_reset: Callable[[dict[str, Any]], None],
                 on_status: Callable[[dict[str, Any]], None] | None = None, *,
                 research: ResearchLog | None = None, interval: float = POLL_INTERVAL,
                 http: requests.Session | None = None, admin_key: str | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self._headers = admin_headers(admin_key)
        self.on_reset = on_reset
        self.on_status = on_status
        self.research = research
        self.interval = interval
        self.http = http or requests.Session()
        self.status: dict[str, Any] | None = None
        self.gone = False  # the endpoints have no /admin/demo: not the mock
        self._generation: int | None = None
        self._held = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-watcher", daemon=True)

    def start(self) -> DemoWatcher:
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        """Still watching: False once stopped, or once the endpoints turned out to be a real department."""
        return self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    # reset_demo holds the watcher while it resets, so its own reset is not reported back to it
    def hold(self) -> None:
        with self._lock:
            self._held += 1

    def release(self) -> None:
        with self._lock:
            self._held = max(self._held - 1, 0)

    def acknowledge(self, generation: int) -> None:
        """This generation is known (our own reset): no callback for it."""
        with self._lock:
            self._generation = generation

    def poll_once(self) -> dict[str, Any] | None:
        """One look at the mock; calls the callbacks as needed. None when it could not be read."""
        try:
            response = self.http.get(f"{self.api_url}/admin/demo", headers=self._headers, timeout=ADMIN_TIMEOUT)
        except requests.RequestException:
            return None
        if response.status_code in (401, 404, 405):  # not the mock, or not our facilitator's key
            self.gone = True
            if self.research is not None:
                self.research.set_enabled(False)
            return None
        try:
            status = response.json()
            generation = int(status["generation"])
        except (ValueError, KeyError, TypeError):
            return None
        with self._lock:
            previous_status, self.status = self.status, status
            known, held = self._generation, self._held
            # Generations only grow; an answer overtaken by our own reset is older, never newer.
            moved = known is not None and generation > known and not held
            if not held:
                self._generation = generation if known is None else max(known, generation)
        if self.research is not None:
            self.research.set_enabled(bool(status.get("research_log")))
        if previous_status != status and self.on_status is not None:
            self._call(self.on_status, status)
        if moved:
            self._call(self.on_reset, status)
        return status

    def _call(self, callback: Callable[[dict[str, Any]], None], status: dict[str, Any]) -> None:
        try:
            callback(status)
        except Exception:  # a broken callback must not stop the watching
            log.exception("demo watcher callback failed")

    def _run(self) -> None:
        wait = self.interval
        while not self._stopped.is_set():
            status = self.poll_once()
            if self.gone:
                return
            # Unreachable: back off (bounded) instead of knocking every second.
            wait = self.interval if status is not None else min(wait * 2, MAX_POLL_INTERVAL)
            self._stopped.wait(wait)


class Demo:
    """Research mode for the app, in one object: what main.py hands the app with ``python main.py demo``.

        demo = Demo("amira", "amira-demo-1", facilitator_url)
        demo.attach(portal, on_reset=lambda status: Clock.schedule_once(app.demo_was_reset))
        demo.research.screen("home")            # on every screen change (and the other hooks)
        demo.reset(portal, courier_thread)     # "Reset demo", on a worker thread; then a new CourierThread
        demo.close()                            # when the app stops
    """

    def __init__(self, username: str | None, password: str | None, facilitator_url: str | None = None,
                 admin_key: str | None = None, admin_url: str | None = None) -> None:
        self.username = username
        self.password = password
        self.facilitator_url = facilitator_url
        # The facilitator key handed over in-process (for the mock at admin_url, when given: the embedded
        # one); for any other endpoints, the research setting "facilitator_key".
        self.admin_key = admin_key
        self.admin_url = admin_url.rstrip("/") if admin_url else None
        self.research: ResearchLog | None = None
        self.watcher: DemoWatcher | None = None

    def attach(self, portal, on_reset: Callable[[dict[str, Any]], None],
               on_status: Callable[[dict[str, Any]], None] | None = None) -> Demo:
        """Start the research log and the watcher on this portal's endpoints (call again after Settings)."""
        self.close()
        key = self.key_for(portal)
        # Through the portal's transport (section 6): the same trusted origins, authority file and pin.
        self.research = ResearchLog(portal.api_url, admin_key=key, http=portal.new_http(pool_maxsize=2),
                                    personal_values=lambda: profile_values(portal.store))
        self.watcher = DemoWatcher(portal.api_url, on_reset, on_status, research=self.research,
                                   admin_key=key, http=portal.new_http(pool_maxsize=2)).start()
        return self

    def key_for(self, portal) -> str | None:
        """The facilitator key: handed over in-process, else the one saved in the research settings."""
        if self.admin_key and (self.admin_url is None or portal.api_url.rstrip("/") == self.admin_url):
            return self.admin_key
        return portal.store.get_setting(FACILITATOR_KEY_SETTING) or None

    def reset(self, portal, courier_thread: Any | None = None) -> DemoReset:
        return reset_demo(portal, self.username, self.password, research=self.research,
                          watcher=self.watcher, courier_thread=courier_thread, admin_key=self.key_for(portal))

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        if self.research is not None:
            self.research.close()
            self.research = None
