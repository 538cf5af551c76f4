"""The courier: drains the outbox, exactly once per delivery, whatever the network does.

- Different services in parallel (a bounded pool); the same service strictly in
  order: a service's next delivery waits while the one before it is retrying.
- Every try of a delivery sends the same Idempotency-Key and the same bytes, so a
  resend after a timeout or a crash can never be stored twice.
- Connection errors, timeouts, 5xx, 408, 409 (but already_reported) and 429 are retried with
  exponential backoff and full jitter; a Retry-After, when given, is the wait.
- 2xx: delivered, with the reference, a receipt and an audit row; so is a 409
  already_reported (a death the service recorded before), with the first reference.
- Any other 4xx: needs_attention with the department's own words, never retried.
- 401: the token is refreshed and the call tried again, once.
- Rows left in 'sending' by a crash go back to the queue at start.
- One sender per data folder across processes (CONTRACT section 6): a pass runs
  holding ``SenderLock``, an OS lock on the folder's sender.lock that the
  kernel frees when its process dies, so a row found in 'sending' by the lock's
  holder was left by a dead sender and is resumed, and a live one's never is.
- Section 6 on every call (portal/transport.py): a redirect is needs_attention;
  plain http or an untrusted certificate leaves the delivery queued, untried,
  with the reason. A run's deadline (``sync --timeout``) bounds every call.

``Courier.run_pass`` is one pass (the `sync` command); ``CourierThread`` runs
passes in the background for the GUI, waking when work falls due, when told to
("retry now", sign-in) or when a probe finds the network back.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import os
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import requests
from requests.adapters import HTTPAdapter

from exchange.vocabulary import N_, visible
from portal.catalogue import Catalogue
from portal.errors import SealBroken
from portal.recovery import UNOPENABLE_DELIVERY
from portal.session import NotSignedIn, Offline, Session, Untrusted
from portal.store import Delivery, DeliveryState, Store, utc_now
from portal.transport import CertificateNotTrusted, InsecureAddress, RedirectRefused, TrustRefused, read_json

if TYPE_CHECKING:
    from exchange.catalogue import Service
    from portal.transport import Transport

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 10.0
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
POOL_SIZE = 8
RETRY_STATUSES = frozenset({408, 409, 429})
REDIRECT_ATTENTION = N_("The service answered with a redirect. It was not followed, so nothing was sent there. "
                        "Tell them again when they have fixed it.")


def backoff_delay(attempts: int, rng: random.Random, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP) -> float:
    """Full jitter: anywhere from 0 to min(cap, base * 2^(attempts-1)) seconds."""
    return rng.uniform(0, min(cap, base * 2 ** max(attempts - 1, 0)))


def retry_after_seconds(value: str | None, now: float, cap: float = BACKOFF_CAP) -> float | None:
    """Retry-After as seconds or an HTTP date, at most ``cap``; None when absent or unreadable.

    Capped: a server's 400-digit wait must neither park a delivery for ever nor
    overflow the clock (`status` once crashed printing its time).
    """
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), cap) if len(value) < 12 else cap
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    wait = when.timestamp() - now
    return min(max(wait, 0.0), cap) if math.isfinite(wait) else None


def department_words(response: requests.Response) -> str:
    """The department's own messages from an error answer, for the citizen to read."""
    try:
        body = read_json(response)
    except (ValueError, RecursionError):
        body = None
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            messages = [str(e.get("message")) for e in errors if isinstance(e, dict) and e.get("message")]
            if messages:
                return visible(" ".join(messages))[:2000]
        for key in ("message", "error_description", "error"):
            if isinstance(body.get(key), str) and body[key]:
                return visible(body[key])[:2000]
    return N_("The service refused this notification.")  # its status is in the audit


def already_reported(response: requests.Response) -> bool:
    """409 {"error": "already_reported", "reference": ...}: not a 409 to retry."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "already_reported" and bool(body.get("reference"))


@dataclass
class PassResult:
    """What one pass did, for `sync` and the GUI."""

    delivered: int = 0
    retrying: int = 0
    needs_attention: int = 0
    signed_out: bool = False
    offline: bool = False
    busy: bool = False            # another process held the data folder's sender lock all along
    refused: str | None = None    # section 6 stopped sending (plain http, certificate): why


LOCK_NAME = "sender.lock"
LOCK_POLL = 0.05


class SenderLock:
    """One sender per data folder, across processes: an exclusive OS lock on HOME/sender.lock.

    fcntl.flock on Linux, macOS and Android (msvcrt on Windows); the kernel
    frees it when the holding process dies, even by SIGKILL, so a crash never
    leaves the folder locked. Within a process a thread lock orders the passes.
    """

    def __init__(self, home: Path) -> None:
        self.path = Path(home) / LOCK_NAME
        self._threads = threading.Lock()
        self._fd: int | None = None

    def acquire(self, wait: float | None = None) -> bool:
        """Take it, waiting at most ``wait`` seconds (None: as long as it takes)."""
        ends = None if wait is None else time.monotonic() + wait
        if not self._threads.acquire(timeout=-1 if ends is None else max(ends - time.monotonic(), 0.0)):
            return False
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while not _try_lock(fd):
                if ends is not None and time.monotonic() >= ends:
                    os.close(fd)
                    self._threads.release()
                    return False
                time.sleep(LOCK_POLL)
        except BaseException:
            os.close(fd)
            self._threads.release()
            raise
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the file frees its lock
            self._threads.release()


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class _Ended(Exception):
    """A step of one attempt decided its outcome (and has finished or released the row)."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


def _count(outcomes: list[str], result: PassResult) -> None:
    for outcome in outcomes:
        if outcome == DeliveryState.DELIVERED:
            result.delivered += 1
        elif outcome == DeliveryState.NEEDS_ATTENTION:
            result.needs_attention += 1
        elif outcome == "retrying":
            result.retrying += 1


class Courier:
    def __init__(self, store: Store, session: Session, catalogue: Callable[[], Catalogue], *,
                 pool_size: int = POOL_SIZE, backoff_base: float = BACKOFF_BASE, backoff_cap: float = BACKOFF_CAP,
                 read_timeout: float = READ_TIMEOUT, clock: Callable[[], float] = time.time,
                 rng: random.Random | None = None, http_factory: Callable[..., requests.Session] | None = None,
                 transport: Transport | None = None, lock_wait: float = 1.0) -> None:
        self.store = store
        self.session = session
        self.catalogue = catalogue
        self.pool_size = pool_size
        self.backoff_base = min(backoff_base, BACKOFF_BASE)
        self.backoff_cap = min(backoff_cap, BACKOFF_CAP)
        self.timeout = (CONNECT_TIMEOUT, min(read_timeout, READ_TIMEOUT))
        self.clock = clock
        self.rng = rng or random.Random()
        self.listeners: list[Callable[[str], None]] = []
        # Asked before a delivery is sent: words for the citizen when it must not go (it then needs
        # attention), None when it may. Portal sets the register's check of a death told offline.
        self.before_send: Callable[[Delivery], str | None] | None = None
        self._local = threading.local()
        self._pool = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="courier")
        self._online: bool | None = None
        # The Portal's factory applies section 6; a bare requests.Session is for tests of the rules alone.
        self.http_factory = http_factory
        self.transport = transport
        self.sender = SenderLock(store.home)
        self.lock_wait = lock_wait  # how long a pass waits for another process's sender (the app's loop)

    # -- plumbing

    def http(self) -> requests.Session:
        """One HTTP session per thread (requests.Session is not shared across threads)."""
        http = getattr(self._local, "http", None)
        if http is None:
            if self.http_factory is not None:
                http = self.http_factory(2)
            else:
                http = requests.Session()
                http.mount("http://", HTTPAdapter(pool_maxsize=2, max_retries=0))
                http.mount("https://", HTTPAdapter(pool_maxsize=2, max_retries=0))
            self._local.http = http
        return http

    def _time_up(self) -> bool:
        """The run's deadline has passed: claim nothing more (an untried row stays as it was)."""
        left = self.transport.time_left() if self.transport is not None else None
        return left is not None and left <= 0

    def _notify(self, delivery_id: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(delivery_id)
            except Exception:  # a broken listener must never stop deliveries
                log.exception("courier listener failed")

    def _contact(self, ok: bool) -> None:
        """Remember whether the services answered, writing only when it changes."""
        if ok != self._online:
            self._online = ok
            self.store.set_setting("online", ok)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- passes

    def recover(self) -> int:
        """At start: deliveries a dead sender left in 'sending' go back to the queue.

        Only while holding the sender lock (else another process is sending them
        now); every pass does the same, so a row left while the lock was taken is
        resumed by the next pass that gets it.
        """
        if not self.sender.acquire(0):
            return 0
        try:
            return self.store.recover_sending()
        finally:
            self.sender.release()

    def run_pass(self, lock_wait: float | None = None) -> PassResult:
        """Send every delivery that is due now: services in parallel, each in order.

        Holds the data folder's sender lock throughout, waiting for it at most
        ``lock_wait`` seconds (default ``self.lock_wait``, bounded by the run's deadline).
        """
        result = PassResult()
        if not self.session.signed_in:
            result.signed_out = True
            return result
        if not self.sender.acquire(self._lock_wait(lock_wait)):
            result.busy = True
            return result
        try:
            self.store.recover_sending()  # holding the lock: any row still 'sending' is a dead sender's
            now = self.clock()
            services = [h.service for h in self.store.heads()
                        if h.state == DeliveryState.QUEUED and (h.due_at or 0) <= now]
            futures = [self._pool.submit(self._drain_service, service, result) for service in services]
            for future in futures:
                _count(future.result(), result)
        finally:
            self.sender.release()
        return result

    def _lock_wait(self, lock_wait: float | None) -> float:
        """How long to wait for the sender lock: as asked (or the default), never past the run's deadline."""
        wait = self.lock_wait if lock_wait is None else lock_wait
        left = self.transport.time_left() if self.transport is not None else None
        return wait if left is None else max(min(wait, left), 0.0)

    def _drain_service(self, service: str, result: PassResult) -> list[str]:
        """Send this service's due deliveries in order until one has to wait."""
        outcomes: list[str] = []
        while True:
            head = self.store.head_of(service)
            if head is None or head.state != DeliveryState.QUEUED or (head.due_at or 0) > self.clock() \
                    or self._time_up():
                return outcomes
            outcomes.append(self.deliver(head.id, result))
            if outcomes[-1] not in (DeliveryState.DELIVERED, DeliveryState.NEEDS_ATTENTION):
                return outcomes

    # -- one delivery

    def deliver(self, delivery_id: str, result: PassResult | None = None) -> str:
        """Try one delivery once (refreshing the token once on 401). Returns the outcome."""
        result = result or PassResult()
        row = self.store.claim(delivery_id)
        if row is None:
            return "busy"
        try:
            outcome = self._attempt(row, result)
        except Exception:  # never leave a row stuck in 'sending'
            log.exception("delivery %s failed unexpectedly", delivery_id)
            self._retry(row, N_("Something went wrong while sending."), None, None, result)
            outcome = "retrying"
        self._notify(delivery_id)
        return outcome

    def _attempt(self, row: Delivery, result: PassResult) -> str:
        try:
            service, body = self._ready_to_send(row, result)
            for try_number in range(2):
                token = self._token(row, result)
                response = self._post(row, service.endpoint, body, token, result)
                if response.status_code == 401 and try_number == 0:
                    self._refresh_after_401(row, token, result)
                    continue
                return self._answered(row, response, result)
        except _Ended as ended:
            return ended.outcome
        raise AssertionError("unreachable")

    def _ready_to_send(self, row: Delivery, result: PassResult) -> tuple[Service, bytes]:
        """(the service, the frozen body), or the delivery needs the citizen's attention first."""
        service = self.catalogue().get(row.service)
        if service is None:
            raise _Ended(self._needs_attention(row, None, N_("This service is no longer in the catalogue."), result))
        words = self.before_send(row) if self.before_send is not None else None
        if words:
            raise _Ended(self._needs_attention(row, None, words, result))
        try:
            return service, self.store.open_body(row)
        except SealBroken:  # it will never open: tell again, never retried (portal/recovery.py)
            raise _Ended(self._needs_attention(row, None, UNOPENABLE_DELIVERY, result)) from None

    def _token(self, row: Delivery, result: PassResult) -> str:
        try:
            return self.session.access_token()
        except NotSignedIn as error:
            self.store.release(row.id, str(error))
            result.signed_out = True
            raise _Ended("signed_out") from None
        except Untrusted as error:  # section 6 stopped the refresh: nothing was sent
            self.store.release(row.id, str(error))
            result.refused = str(error)
            raise _Ended("refused") from None
        except Offline as error:
            self._contact(False)
            result.offline = True
            raise _Ended(self._retry(row, str(error), None, None, result)) from None

    def _post(self, row: Delivery, endpoint: str, body: bytes, token: str,
              result: PassResult) -> requests.Response:
        """The department's answer, whatever its status; a call that got none ends the attempt."""
        try:
            response = self.http().post(endpoint, data=body, timeout=self.timeout, headers={
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": row.idempotency_key,
                "Content-Type": "application/json",
            })
        except RedirectRefused as error:
            self._contact(True)
            log.warning("%s", error)  # where it pointed: for the tester's log, not the citizen's card
            raise _Ended(self._needs_attention(row, error.status, REDIRECT_ATTENTION, result)) from None
        except (InsecureAddress, CertificateNotTrusted, TrustRefused) as error:
            # Refused before the person went anywhere: the delivery waits, untried, for the
            # address or the trust settings to be put right.
            self.store.release(row.id, str(error))
            result.refused = str(error)
            raise _Ended("refused") from None
        except requests.ConnectTimeout:
            if self._time_up():  # the run's time was up before this call could start: never sent
                self.store.release(row.id, N_("The service could not be reached."))
                raise _Ended("retrying") from None
            raise _Ended(self._unreached(row, N_("The service did not answer in time."), result)) from None
        except requests.Timeout:
            raise _Ended(self._unreached(row, N_("The service did not answer in time."), result)) from None
        except requests.RequestException:
            raise _Ended(self._unreached(row, N_("The service could not be reached."), result)) from None
        self._contact(True)
        return response

    def _unreached(self, row: Delivery, words: str, result: PassResult) -> str:
        self._contact(False)
        result.offline = True
        return self._retry(row, words, None, None, result)

    def _refresh_after_401(self, row: Delivery, token: str, result: PassResult) -> None:
        """The department refused the token: refresh it once, then the attempt sends again."""
        try:
            self.session.refresh(stale=token)
        except NotSignedIn as error:
            self.store.release(row.id, str(error))
            result.signed_out = True
            raise _Ended("signed_out") from None
        except Offline as error:
            raise _Ended(self._retry(row, str(error), 401, None, result)) from None

    def _answered(self, row: Delivery, response: requests.Response, result: PassResult) -> str:
        """What the department's status means for the delivery: delivered, retried or needing attention."""
        status = response.status_code
        if 200 <= status < 300:
            return self._delivered(row, response, result)
        if status == 409 and already_reported(response):
            # A death this service already recorded (CONTRACT section 8): delivered, with its first reference.
            return self._delivered(row, response, result, detail="Already reported, reference {reference}")
        if status >= 500 or status in RETRY_STATUSES or status == 401:
            wait = retry_after_seconds(response.headers.get("Retry-After"), self.clock(), BACKOFF_CAP)
            # Whole sentences, translated where they are shown (the card names the service and says
            # when the next try is); the department's own words are shown as the department wrote them.
            words = department_words(response) if status < 500 else \
                N_("The service is busy or not working at the moment.")
            return self._retry(row, words, status, wait, result)
        return self._needs_attention(row, status, department_words(response), result)

    def _delivered(self, row: Delivery, response: requests.Response, result: PassResult,
                   detail: str = "Received, reference {reference}") -> str:
        try:
            answer = read_json(response)
        except (ValueError, RecursionError):
            answer = {}
        answer = answer if isinstance(answer, dict) else {}
        reference = answer.get("reference")
        reference = visible(reference)[:255] if reference not in (None, "") else None  # untrusted text
        now = utc_now()
        self.store.finish_attempt(
            row.id, state=DeliveryState.DELIVERED, reference=str(reference) if reference else None,
            audit={"at": now, "outcome": DeliveryState.DELIVERED, "http_status": response.status_code,
                   "detail": detail.format(reference=reference) if reference else "Received"},
            receipt={"reference": reference, "received_at": answer.get("received_at") or now,
                     "response": json.dumps(answer, sort_keys=True)},
        )
        return DeliveryState.DELIVERED

    def _needs_attention(self, row: Delivery, status: int | None, words: str, result: PassResult) -> str:
        self.store.finish_attempt(row.id, state=DeliveryState.NEEDS_ATTENTION, last_error=words,
                                  audit={"at": utc_now(), "outcome": DeliveryState.NEEDS_ATTENTION,
                                         "http_status": status,
                                         "detail": words})
        return DeliveryState.NEEDS_ATTENTION

    def _retry(self, row: Delivery, words: str, status: int | None, wait: float | None,
               result: PassResult) -> str:
        if wait is None:
            wait = backoff_delay(row.attempts, self.rng, self.backoff_base, self.backoff_cap)
        self.store.finish_attempt(row.id, state=DeliveryState.QUEUED, due_at=self.clock() + wait, last_error=words,
                                  audit={"at": utc_now(), "outcome": "will_retry", "http_status": status,
                                         "detail": words})
        return "retrying"

    # -- sync, for the command line

    def sync(self, until_idle: bool = False, timeout: float = 60.0,
             sleep: Callable[[float], None] = time.sleep) -> PassResult:
        """An explicit sync: every queued delivery is due at once, then one pass
        (or passes until nothing is queued or sending, or the timeout)."""
        owned = self.transport is not None and self.transport.deadline is None
        if owned:
            self.transport.set_deadline(timeout)  # every call of this run ends by then (portal/transport.py)
        try:
            return self._sync(until_idle, timeout, sleep)
        finally:
            if owned:
                self.transport.set_deadline(None)

    def _sync(self, until_idle: bool, timeout: float, sleep: Callable[[float], None]) -> PassResult:
        self.store.make_all_due(self.clock())
        left = self.transport.time_left() if self.transport is not None else None
        deadline = self.clock() + (timeout if left is None else min(timeout, max(left, 0.0)))
        total = PassResult()
        while True:
            # Another process sending from this folder: wait for it (up to the deadline), then
            # finish what it left; a second `sync` never fails for being second.
            result = self.run_pass(lock_wait=max(deadline - self.clock(), 0.0))
            total.delivered += result.delivered
            total.needs_attention += result.needs_attention
            total.retrying = result.retrying
            total.offline = result.offline
            total.signed_out = result.signed_out
            total.busy = result.busy
            total.refused = total.refused or result.refused
            if not until_idle or result.signed_out or result.refused or self.store.count_pending() == 0:
                return total
            now = self.clock()
            if now >= deadline:
                return total
            next_due = self.store.next_due_at()
            wait = 0.05 if next_due is None else min(max(next_due - now, 0.0), deadline - now)
            sleep(max(wait, 0.01))


class CourierThread(threading.Thread):
    """Runs the courier in the background (never on the UI thread).

    Sleeps until the next delivery falls due or it is woken; while offline it
    probes the services with backoff and makes everything due once they answer.
    """

    MAX_IDLE = 30.0

    def __init__(self, courier: Courier, probe: Callable[[], bool], probe_cap: float = 60.0) -> None:
        super().__init__(name="courier-loop", daemon=True)
        self.courier = courier
        self.probe = probe
        self.probe_cap = probe_cap
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self.offline = False
        self.refused: str | None = None  # section 6 stopped the last pass: why (for the app to say)

    def wake(self) -> None:
        self._wake.set()

    def retry_now(self) -> None:
        """'Retry now' and a fresh sign-in: every queued delivery is due at once."""
        self.courier.store.make_all_due(self.courier.clock())
        self.wake()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def run(self) -> None:
        self.courier.recover()
        probe_delay = 1.0
        while not self._stopped.is_set():
            try:
                result = self.courier.run_pass()
            except Exception:
                log.exception("courier pass failed")
                result = PassResult(offline=True)
            self.offline = result.offline
            self.refused = result.refused
            if result.offline or result.refused:
                # Wait with backoff, then probe; when the services answer again, everything is due.
                # (Refused by section 6, a delivery stays due: without the wait this would spin.)
                if self._wake.wait(probe_delay) or self._stopped.is_set():
                    self._wake.clear()
                    continue
                if self.probe():
                    probe_delay = 1.0
                    self.courier.store.make_all_due(self.courier.clock())
                else:
                    probe_delay = min(probe_delay * 2, self.probe_cap)
                continue
            probe_delay = 1.0
            next_due = self.courier.store.next_due_at()
            wait = self.MAX_IDLE if next_due is None else max(next_due - self.courier.clock(), 0.0)
            if result.busy:  # another process is sending from this folder: look again shortly
                wait = max(wait, 1.0)
            if self._wake.wait(min(wait, self.MAX_IDLE)):
                self._wake.clear()
