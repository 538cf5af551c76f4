"""The research log, app side: how people use the app, never what they type.

Off unless the facilitator turns it on at the mock. The app feeds it from the
UI thread; every call only checks its words and queues, and one background
thread sends the queue to the mock's ``POST /admin/research/events`` about once
a second, in batches. It never retries: a batch that cannot be sent is dropped.
A real department has no such endpoint (404): the log then stops sending for
good. The words allowed are those of ``exchange/research_terms.py``, checked
here and again by the mock:

    >>> log = ResearchLog("http://127.0.0.1:9", admin_key="the-facilitator-key")  # nobody there: dropped
    >>> log.screen("details")                       # a screen change; the time on the last one
    True
    >>> log.validation_error("nino", "Enter a National Insurance number in the correct format")
    True
    >>> log.validation_error("nino", "AB123456C")     # a value: refused, never queued
    False
    >>> log.help_opened("nino_help"), log.started("tell"), log.completed("tell")
    (True, True, True)
    >>> log.new_session()                            # a demo reset: the next participant starts
    >>> log.close()

Every method returns at once and is safe from any thread.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import requests

from exchange.research_terms import IDENTIFIER, english, event_errors, field_names, known_messages

log = logging.getLogger(__name__)

EVENTS_PATH = "/admin/research/events"
SEND_TIMEOUT = (1.0, 3.0)
FLUSH_INTERVAL = 1.0
BATCH_SIZE = 100
MAX_QUEUE = 1000


def instant(epoch: float) -> str:
    """ISO 8601 UTC to the millisecond, with Z."""
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class ResearchLog:
    """Feed it screen changes, errors shown, help opened and flows; it keeps the time on each screen.

    ``personal_values``, called on the sending thread, returns the values the
    citizen holds now (``portal.demo.profile_values(store)``): an identifier
    that holds one of them is dropped there, before anything is sent.
    """

    def __init__(self, api_url: str, *, admin_key: str | None = None,
                 personal_values: Callable[[], Iterable[str]] | None = None,
                 http: requests.Session | None = None, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic, flush_interval: float = FLUSH_INTERVAL) -> None:
        self.api_url = api_url.rstrip("/")
        # The facilitator key (CONTRACT section 5): without it the mock answers 401 and the log stops.
        self._headers = {"Authorization": f"Bearer {admin_key}"} if admin_key else {}
        self.personal_values = personal_values
        self.http = http or requests.Session()
        self.clock = clock
        self.monotonic = monotonic
        self.flush_interval = flush_interval
        self.session_id = uuid.uuid4().hex
        self.stats = collections.Counter()  # accepted, refused, sent, dropped (numbers, never words)
        self._lock = threading.Condition()
        self._queue: collections.deque[dict[str, Any]] = collections.deque()
        self._in_flight = 0
        self._enabled: bool | None = None  # None: not known yet (send; the mock decides)
        self._gone = False                 # the endpoint does not exist here: a real department
        self._closed = False
        self._screen: str | None = None
        self._screen_since = 0.0
        self._flows: list[str] = []
        self._thread = threading.Thread(target=self._run, name="research-log", daemon=True)
        self._thread.start()

    # -- what the app tells us (any thread; returns at once)

    def screen(self, name: str) -> bool:
        """The app now shows ``name`` (an identifier like ``who_to_tell``)."""
        if not _identifier(name):
            return self._refuse("screen")
        with self._lock:
            previous, since = self._screen, self._screen_since
            if name == previous:
                return True
            now = self.monotonic()
            self._screen, self._screen_since = name, now
        if previous is not None:
            self._add({"kind": "screen_time", "screen": previous, "seconds_on_screen": round(now - since, 3)})
        event = {"kind": "screen_change", "screen": name}
        if previous is not None:
            event["detail"] = previous
        return self._add(event)

    def validation_error(self, field: str, message: str) -> bool:
        """An error the app showed: the field's NAME and the vocabulary's Message (in any language shown)."""
        if field not in field_names():
            return self._refuse("field")
        words = english(message)
        if words not in known_messages():
            return self._refuse("message")
        return self._add({"kind": "validation_error", "screen": self._screen, "field": field, "message": words})

    def help_opened(self, topic: str) -> bool:
        if not _identifier(topic):
            return self._refuse("detail")
        return self._add({"kind": "help_opened", "screen": self._screen, "detail": topic})

    def started(self, flow: str) -> bool:
        """A flow began (``tell``, ``details``, ``sign_in``); nothing is sent until it ends or is left."""
        if not _identifier(flow):
            return self._refuse("detail")
        with self._lock:
            if flow not in self._flows:
                self._flows.append(flow)
        return True

    def completed(self, flow: str) -> bool:
        return self._end_flow(flow, "flow_completed")

    def abandoned(self, flow: str) -> bool:
        return self._end_flow(flow, "flow_abandoned")

    def new_session(self) -> None:
        """A demo reset: time on the screen, flows left unfinished, a reset event; then a fresh session id."""
        with self._lock:
            screen, since, flows = self._screen, self._screen_since, list(self._flows)
            self._screen, self._flows = None, []
        now = self.monotonic()
        if screen is not None:
            self._add({"kind": "screen_time", "screen": screen, "seconds_on_screen": round(now - since, 3)})
        for flow in flows:
            self._add({"kind": "flow_abandoned", "screen": screen, "detail": flow})
        self._add({"kind": "reset", "screen": screen})
        with self._lock:
            self.session_id = uuid.uuid4().hex

    # -- what the facilitator decided (the DemoWatcher passes it on)

    def set_enabled(self, enabled: bool | None) -> None:
        """True: the mock keeps events; False: it does not, so nothing is queued; None: not known."""
        with self._lock:
            self._enabled = enabled
            if enabled is False:
                self.stats["dropped"] += len(self._queue)
                self._queue.clear()

    def set_api_url(self, api_url: str) -> None:
        """Settings pointed the app elsewhere: send there from now on (and try again if the old one had none)."""
        with self._lock:
            self.api_url = api_url.rstrip("/")
            self._gone = False
            self._enabled = None

    @property
    def enabled(self) -> bool | None:
        """What the facilitator decided, as last heard from the mock (None: not known yet)."""
        return self._enabled

    @property
    def sending(self) -> bool:
        """False once the endpoints turned out to have no research log (a real department)."""
        return not self._gone

    # -- flushing and closing

    def flush(self, timeout: float = 5.0) -> bool:
        """Send what is queued now and wait (at most ``timeout``) until it has gone; for tests and closing."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._lock.notify_all()
            while self._queue or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.05))
                self._lock.notify_all()
        return True

    def close(self, timeout: float = 2.0) -> None:
        """Record the time on the last screen, send what is left (bounded), stop the thread."""
        with self._lock:
            screen, since = self._screen, self._screen_since
            self._screen = None
        if screen is not None:
            self._add({"kind": "screen_time", "screen": screen,
                       "seconds_on_screen": round(self.monotonic() - since, 3)})
        self.flush(timeout)
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(timeout)

    # -- inside

    def _end_flow(self, flow: str, kind: str) -> bool:
        if not _identifier(flow):
            return self._refuse("detail")
        with self._lock:
            if flow in self._flows:
                self._flows.remove(flow)
        return self._add({"kind": kind, "screen": self._screen, "detail": flow})

    def _refuse(self, slot: str) -> bool:
        # Say which slot, never what was in it: that could be the very value we keep out.
        log.warning("research log: refused an event whose %s is not allowed", slot)
        with self._lock:
            self.stats["refused"] += 1
        return False

    def _add(self, event: dict[str, Any]) -> bool:
        with self._lock:
            event = {"at": instant(self.clock()), "session": self.session_id,
                     **{k: v for k, v in event.items() if v is not None}}
            if event_errors(event):  # the same check as the mock's, so nothing it would refuse leaves
                self.stats["refused"] += 1
                log.warning("research log: refused an event of kind %s", event.get("kind"))
                return False
            self.stats["accepted"] += 1
            if self._gone or self._enabled is False or self._closed:
                self.stats["dropped"] += 1
                return True
            if len(self._queue) >= MAX_QUEUE:
                self._queue.popleft()
                self.stats["dropped"] += 1
            self._queue.append(event)
            if len(self._queue) >= BATCH_SIZE:
                self._lock.notify_all()
        return True

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue and not self._closed:
                    self._lock.wait(self.flush_interval)
                if self._closed and not self._queue:
                    return
                batch = [self._queue.popleft() for _ in range(min(BATCH_SIZE, len(self._queue)))]
                self._in_flight = len(batch)
                url = self.api_url + EVENTS_PATH
            try:
                if batch:
                    self._send(url, self._screen_values(batch))
            except Exception:  # never let the log's thread die on the way
                log.warning("research log: a batch could not be sent")
            finally:
                with self._lock:
                    self._in_flight = 0
                    self._lock.notify_all()
            if self._closed:
                with self._lock:
                    if not self._queue:
                        return

    def _screen_values(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Drop any event whose identifiers hold one of the citizen's own values."""
        if self.personal_values is None:
            return batch
        try:
            values = [v for v in self.personal_values() if isinstance(v, str)]
        except Exception:
            log.warning("research log: the citizen's values could not be read; this batch is dropped")
            with self._lock:
                self.stats["dropped"] += len(batch)
            return []
        kept = [event for event in batch if not event_errors(event, values)]
        with self._lock:
            self.stats["refused"] += len(batch) - len(kept)
        return kept

    def _send(self, url: str, batch: list[dict[str, Any]]) -> None:
        if not batch:
            return
        try:
            response = self.http.post(url, json={"events": batch}, headers=self._headers, timeout=SEND_TIMEOUT)
        except requests.RequestException:
            with self._lock:
                self.stats["dropped"] += len(batch)
            return
        with self._lock:
            if response.status_code == 202:
                self.stats["sent"] += len(batch)
                return
            self.stats["dropped"] += len(batch)
            if response.status_code in (401, 404, 405):
                # No research log here (a real department), or no facilitator key: stop for good, silently.
                self._gone = True
                self._queue.clear()
            elif response.status_code == 204:
                pass  # the facilitator has it off: the mock read nothing; the next batch may find it on
            else:
                log.warning("research log: the mock refused a batch (%s)", response.status_code)


def _identifier(text: Any) -> bool:
    return isinstance(text, str) and bool(IDENTIFIER.match(text))
