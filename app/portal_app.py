"""The Kivy app: the screens on top of portal/, and the threads that keep the UI thread free.

Nothing slow runs on the UI thread. ``App.work(job, done)`` runs ``job`` on one
worker thread (it owns that thread's SQLite connection) and calls ``done`` with
its result back on the UI thread; ``failed`` gets the error, which screens show
in plain words. The courier runs in its own ``CourierThread``; it tells us
about each delivery through a listener that only pulls a Clock trigger, so a
burst of deliveries is one redraw (as Electrum batches its GUI updates).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from app.lazy_screens import LazyScreens
from portal.core import Portal
from portal.i18n import _, translator
from portal.store import Delivery, Profile
from ui.preferences import apply_preferences, read_preferences
from ui.saving import choose_with_plyer
from ui.screen_rules import SCREENS
from ui.widgets import plain_message

if TYPE_CHECKING:  # requests comes with these: the worker imports it while the first screen is built
    from portal.courier import CourierThread
    from portal.demo import Demo
    from portal.research import ResearchLog

log = logging.getLogger(__name__)
THEME = Path(__file__).resolve().parent.parent / "ui" / "theme.kv"
RESEARCH_SETTING = "research_mode"
PROBE_EVERY = 60.0  # seconds between checks that government services answer, for the banner
PortalFactory = Callable[[str | None], Portal]
# The screens of each flow a research session watches: entering one starts the flow, leaving
# them all for home without finishing abandons it.
FLOWS = {"tell": ("change", "address", "who_to_tell", "check"), "details": ("details",),
         "death": ("death_reference", "death_confirm", "death_documents", "death_relationship", "death_who",
                   "death_check")}


@dataclass
class Snapshot:
    """Everything the screens show, read in one go off the UI thread."""

    signed_in: bool = False
    username: str = ""
    online: bool = False
    profile: Profile | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    catalogue: Any = None
    api_url: str = ""


def read_snapshot(portal: Portal) -> Snapshot:
    return Snapshot(
        signed_in=portal.session.signed_in, username=portal.session.username or "", online=portal.online,
        profile=portal.store.current_profile(), deliveries=portal.store.deliveries(),
        catalogue=portal.cached_catalogue(), api_url=portal.api_url,
    )


class TellUsOnceApp(App):
    title = "Tell Us Once"

    snapshot = ObjectProperty(Snapshot(), rebind=True)
    online = BooleanProperty(False)
    busy = BooleanProperty(False)
    notice = StringProperty("")  # a one-off message for the next screen, e.g. "Your details are saved"
    scenario = StringProperty("")  # in a research session: the facilitator's scenario, e.g. "DVLA down"
    demo_mode = BooleanProperty(False)
    # Research mode: `python main.py demo`, or "I am taking part in a research session" in Settings.
    # Only then does Settings show the endpoints' address, and only then is the facilitator's mock
    # watched (GET /admin/demo) and the research log sent.
    research_mode = BooleanProperty(False)
    seal_broken = BooleanProperty(False)  # saved details that cannot be opened: Start again is offered

    def __init__(self, portal: Portal | None = None, portal_factory: PortalFactory | None = None,
                 start_courier: bool = True, export_dir: Path | None = None, use_saved_api: bool = True,
                 demo: Demo | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        if portal is None and portal_factory is None:
            raise ValueError("TellUsOnceApp needs a portal or a portal_factory")
        self.portal: Portal | None = portal
        self.portal_factory = portal_factory
        self.start_courier = start_courier
        self.use_saved_api = use_saved_api
        self.export_dir = export_dir
        self.courier_thread: CourierThread | None = None
        self.demo = demo
        # A Demo without a persona (any app, e.g. a phone pointed at a facilitator's laptop) still
        # sends the research log and follows the page's reset; only `make demo` can reset by itself.
        self.demo_mode = demo is not None and demo.username is not None
        self.research_mode = demo is not None
        self._flows: set[str] = set()  # research: flows started and not yet finished
        self.plan = None  # the TellPlan being checked
        self.draft: dict[str, Any] = {}  # event, effective_date, chosen services, changes (field, old, new)
        self.embedded_admin: tuple[str, str] | None = None  # run_app: the embedded mock's key and URL
        self.death: dict[str, Any] = {}  # the report of a death being prepared: reference, register, numbers, plan
        # Asks where to save a file, on a thread of its own (a dialog blocks): the seam tests replace.
        self.file_chooser: Callable[[Path, list], str | None] = choose_with_plyer
        self.tell_ids: list[str] = []  # the deliveries of the latest tell, for the progress screen
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ui-work")
        self._refresh_trigger = Clock.create_trigger(lambda _dt: self.refresh(), 0.05)
        self._stopping = threading.Event()
        self._probing: threading.Thread | None = None
        self._pending = 0  # jobs given to the worker and not yet back
        self.preferences: dict[str, Any] = {}  # language, text size, theme: read with the portal, applied at start
        self._accessibility_scheduled = False

    # -- building

    def build(self) -> ScreenManager:
        Window.clearcolor = (1, 1, 1, 1)
        Window.softinput_mode = "below_target"
        Window.bind(on_keyboard=self._on_keyboard)
        translator.listeners.append(self._language_switched)
        # The data folder opens on the worker (keyring, store, outbox) while this thread builds; no screen
        # is built until it says which one to show: Home for a citizen signed in, else Welcome.
        self.work(self._open_portal, self._portal_opened, self._portal_failed)
        Builder.load_file(str(THEME))
        return LazyScreens(SCREENS, transition=NoTransition())

    def _after_first_screen(self) -> None:
        """The first screen (Home, or Welcome) is laid out: the collector back on, and screen readers
        (ui.accessibility) half a second after it is shown, nothing more until one is on. (Counted from
        on_start, a slow keyring or a busy machine had the bridge built while Home was still being drawn:
        its work and memory in the first frame's.)"""
        # Off since run_app: start-up makes only objects that live on. The first screen's own contents
        # (Home's rows, made after LazyScreens froze the screen) are frozen with them, or the first
        # collection, on the next allocation, walks them all before the first frame (15-30 ms).
        gc.freeze()
        gc.enable()
        if self._accessibility_scheduled:
            return
        self._accessibility_scheduled = True
        self.after_next_frame(lambda: Clock.schedule_once(lambda _dt: self._start_accessibility(), 0.5))

    def _start_accessibility(self) -> None:
        from ui.accessibility import start_bridge

        if not self._stopping.is_set():
            self.accessibility = start_bridge(self)

    def on_stop(self) -> None:
        if self._stopping.is_set():  # Kivy may dispatch on_stop twice
            return
        self._stopping.set()
        if getattr(self, "accessibility", None) is not None:
            self.accessibility.stop()
        if self.demo is not None:
            self.demo.close()
        self._stop_courier()
        self._worker.submit(self._close_portal)
        self._worker.shutdown(wait=True)

    def _on_keyboard(self, _window, key: int, _scancode=None, _codepoint=None, modifiers=None, *_args) -> bool:
        """Android's back button (Escape on desktop): the page's back link, rather than leaving the app."""
        from ui.keyboard import on_key

        if on_key(self, key, modifiers):
            return True
        if key != 27 or self.root is None or self.root.current_screen is None:
            return False
        page = self.root.current_screen.ids.get("page")
        if page is not None and page.back:
            self.go(page.back)
            return True
        return False

    # -- threads

    def work(self, job: Callable[[], Any], done: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Run ``job`` off the UI thread; ``done(result)`` or ``failed(error)`` back on it."""
        if self._stopping.is_set():
            return
        self._pending += 1
        self.busy = True

        def run() -> None:
            try:
                result = job()
            except BaseException as error:  # shown to the citizen in plain words, logged by type only
                log.warning("background step failed: %s", type(error).__name__)
                Clock.schedule_once(lambda _dt, e=error: self._finish(failed or self.show_failure, e), 0)
                return
            Clock.schedule_once(lambda _dt: self._finish(done, result), 0)

        self._worker.submit(run)

    def _finish(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        self._pending -= 1
        self.busy = self._pending > 0
        if callback is not None:
            callback(value)

    def show_failure(self, error: BaseException) -> None:
        screen = self.root.current_screen if self.root else None
        if screen is not None:
            screen.show_errors([("", plain_message(error))])

    # -- the portal and the courier

    def _open_portal(self) -> Snapshot:
        if self.portal is None:
            assert self.portal_factory is not None
            portal = self.portal_factory(None)
            saved = portal.store.get_setting("api_url") if self.use_saved_api else None
            if saved and saved != portal.api_url:
                portal.close()
                portal = self.portal_factory(saved)
            self.portal = portal
        self.preferences = read_preferences(self.portal.store)
        self.preferences["research_mode"] = bool(self.portal.store.get_setting(RESEARCH_SETTING, False))
        return read_snapshot(self.portal)

    def _portal_opened(self, snapshot: Snapshot) -> None:
        log.info("data folder opened: details %s, %d notification(s), signed in: %s",
                 f"version {snapshot.profile.version}" if snapshot.profile else "none", len(snapshot.deliveries),
                 "yes" if snapshot.signed_in else "no")
        apply_preferences(self.preferences)
        self.research_mode = self.research_mode or self.preferences.get("research_mode", False)
        self._apply(snapshot)
        self._attach_demo()  # research mode only; before the first screen, which the research log records
        if snapshot.signed_in and snapshot.profile is not None:
            self.go("home")
        else:
            self.go("welcome")
        # The courier (and requests and sqlite-utils with it) loads on the worker once the first screen is
        # on the glass, not while it is laid out and drawn (the worker's imports would hold the GIL, and
        # their memory would count in the first frame's): it puts back what a crash left in 'sending',
        # then starts sending.
        self.after_next_frame(lambda: self.work(self._recover, self._courier_ready))
        self._after_first_screen()

    @staticmethod
    def after_next_frame(then: Callable[[], None]) -> None:
        """``then()`` on the UI thread just after the window next shows a frame (and its other handlers)."""
        def shown(*_args) -> None:
            Window.unbind(on_flip=shown)
            Clock.schedule_once(lambda _dt: then(), 0)

        Window.bind(on_flip=shown)

    def _recover(self) -> int:
        return self.portal.courier.recover() if self.portal is not None else 0

    def _courier_ready(self, recovered: int) -> None:
        self._start_courier()
        if self.start_courier:
            self.check_online()
            Clock.schedule_interval(lambda _dt: self.check_online(), PROBE_EVERY)
        if recovered:
            self.refresh()

    def _portal_failed(self, error: BaseException) -> None:
        from portal.errors import SealBroken

        self.seal_broken = isinstance(error, SealBroken)
        self.go("welcome")
        self.root.get_screen("welcome").show_errors([("", plain_message(error))])
        self._after_first_screen()

    def start_again(self) -> None:
        """'Start again on this device': what cannot be opened is removed (portal/recovery.py), then the
        citizen signs in (or is still signed in) and enters or fetches their details again."""
        from portal.recovery import start_again

        if self.portal is None:
            return

        def job() -> Snapshot:
            start_again(self.portal.store)
            return read_snapshot(self.portal)

        def done(snapshot: Snapshot) -> None:
            self.seal_broken = False
            welcome = self.root.get_screen("welcome")
            welcome.clear_errors()
            if snapshot.signed_in:
                self._portal_opened(snapshot)
                self.go("details")
            else:
                self._apply(snapshot)
                self.go("welcome")
            welcome.show_notice(_("What could not be opened has been removed. Sign in, then enter your "
                                  "details again or fetch them from government."))

        self.work(job, done)

    def set_research_mode(self, on: bool) -> None:
        """Settings: research mode on or off, saved; the facilitator's mock is watched only while on."""
        self.research_mode = on
        if self.portal is not None:
            store = self.portal.store
            self.work(lambda: store.set_setting(RESEARCH_SETTING, on))
        if on:
            self._attach_demo()
        elif self.demo is not None and not self.demo_mode:
            self.demo.close()
            self.demo = None

    def _start_courier(self) -> None:
        if not self.start_courier or self.portal is None or self.courier_thread is not None:
            return
        courier = self.portal.courier
        courier.listeners.append(self._delivery_changed)
        from portal.courier import CourierThread  # loaded already, on the worker (_recover)

        self.courier_thread = CourierThread(courier, probe=self.portal.probe)
        self.courier_thread.start()

    def _stop_courier(self) -> None:
        thread, self.courier_thread = self.courier_thread, None
        if thread is not None:
            thread.stop()
            thread.join(timeout=15)

    def _close_portal(self) -> None:
        if self.portal is not None:
            self.portal.close()

    def check_online(self) -> None:
        """Ask the services whether they answer, on a thread of its own (a probe may take seconds)."""
        if (self._probing is not None and self._probing.is_alive()) or self.portal is None:
            return
        portal = self.portal

        def probe() -> None:
            try:
                portal.probe()
            finally:
                self._refresh_trigger()

        self._probing = threading.Thread(target=probe, name="probe", daemon=True)
        self._probing.start()

    def _delivery_changed(self, _delivery_id: str) -> None:
        """Called on a courier thread: only pull the trigger (thread safe); the redraw is batched."""
        self._refresh_trigger()

    def show_sending(self, flow: str, progress: str) -> None:
        """A tell (or a death's report) is agreed and queued: the research flow ends, the courier sends at
        once, and ``progress`` shows it going."""
        self.flow_completed(flow)
        if self.courier_thread is not None:
            self.courier_thread.wake()
        self.refresh()
        self.go(progress)

    def retry_now(self) -> None:
        """'Retry now' and a fresh sign-in: every waiting notification is due at once."""
        if self.courier_thread is not None:
            self.work(self.courier_thread.retry_now, lambda _r: self.refresh())

    def replace_portal(self, make: Callable[[], Portal | None], done: Callable[[Snapshot], None]) -> None:
        """Stop sending, swap the portal (new endpoints, or after deleting everything), start again."""
        def job() -> Snapshot:
            self._stop_courier()
            if self._probing is not None:
                self._probing.join(timeout=15)
            old = self.portal
            new = make()
            if old is not None and new is not old:
                old.close()
            if new is None:
                assert self.portal_factory is not None
                new = self.portal_factory(None)
            self.portal = new
            return read_snapshot(new)

        def opened(snapshot: Snapshot) -> None:
            self._apply(snapshot)
            self._start_courier()
            self._attach_demo()
            done(snapshot)

        self.work(job, opened)

    # -- user research (python main.py demo)

    @property
    def research(self) -> ResearchLog | None:
        return self.demo.research if self.demo is not None else None

    def _attach_demo(self) -> None:
        """The research log and the watcher follow the portal's endpoints (again after Settings); in
        research mode only: a citizen's app never polls GET /admin/demo."""
        if self.portal is None or not self.research_mode:
            return
        if self.demo is None:  # a phone or laptop in a facilitator's session (or this one's embedded mock)
            from portal.demo import Demo

            key, url = self.embedded_admin or (None, None)
            self.demo = Demo(None, None, admin_key=key, admin_url=url)
        self.demo.attach(
            self.portal,
            on_reset=lambda _status: Clock.schedule_once(lambda _dt: self.demo_was_reset(), 0),
            on_status=lambda status: Clock.schedule_once(lambda _dt: self._show_scenario(status), 0),
        )

    def _show_scenario(self, status: dict[str, Any]) -> None:
        self.scenario = str(status.get("scenario_label") or "")

    def demo_was_reset(self) -> None:
        """The facilitator pressed Reset demo on the page: this device starts again too."""
        if self.demo_mode:
            self.reset_demo()
        else:
            self.forget_everything()

    def forget_everything(self, then: Callable[[], None] | None = None) -> None:
        """Delete this device's data and sign-in ("Delete everything", or a page reset with no
        persona to sign in again), then Welcome; ``then`` runs once it is shown."""
        if self.portal_factory is None:
            return
        self._flows.clear()

        def make() -> None:
            self.tell_ids = []
            self.portal.delete_everything()
            return None  # a fresh, empty portal from the factory

        def done(_snapshot: Snapshot) -> None:
            self.go("welcome")
            if then is not None:
                then()

        self.replace_portal(make, done)

    def reset_demo(self) -> None:
        """'Reset demo' here or on the facilitator page: everything back to the start, persona signed in."""
        if self.demo is None or self.portal is None:
            return
        demo, portal, thread = self.demo, self.portal, self.courier_thread
        self.courier_thread = None  # the reset stops it; a fresh one starts when it is done
        self._flows.clear()

        def job() -> Snapshot:
            demo.reset(portal, thread)
            return read_snapshot(portal)

        def done(snapshot: Snapshot) -> None:
            self.tell_ids, self.plan, self.draft = [], None, {}
            self._apply(snapshot)
            self._start_courier()
            self.go("home")

        self.work(job, done)

    def note_errors(self, errors: list[tuple[str, str]]) -> None:
        """Research: which fields showed which of the vocabulary's messages (never what was typed)."""
        research = self.research
        if research is None:
            return
        for field_name, message in errors:
            if field_name:
                research.validation_error(field_name, message)

    def _note_screen(self, name: str) -> None:
        research = self.research
        if research is None:
            return
        research.screen(name)
        for flow, screens in FLOWS.items():
            if name in screens and flow not in self._flows:
                self._flows.add(flow)
                research.started(flow)
            elif name == "home" and flow in self._flows:
                self._flows.discard(flow)
                research.abandoned(flow)

    def flow_completed(self, flow: str) -> None:
        """A tell agreed and sent, or details saved: the flow ended as the citizen meant it to."""
        if flow in self._flows and self.research is not None:
            self.research.completed(flow)
        self._flows.discard(flow)

    # -- what the screens show

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Read the profile and the outbox off the UI thread, then redraw the screens that show them."""
        if self.portal is None:
            return

        def done(snapshot: Snapshot) -> None:
            self._apply(snapshot)
            if then is not None:
                then()

        self.work(lambda: read_snapshot(self.portal), done, lambda _e: None)

    def _apply(self, snapshot: Snapshot) -> None:
        """Redraw the screen in view now; the others when they are next shown (keeps each frame short)."""
        self.online = snapshot.online
        self.snapshot = snapshot
        for screen in self.root.screens:
            if screen is self.root.current_screen:
                screen.update(snapshot)
                screen.stale = False
            else:
                screen.stale = True

    def _language_switched(self, _language: str) -> None:
        """Texts built in Python are rebuilt: the screen in view now, the others when next shown (kv texts
        follow by themselves through ui.i18n.tr)."""
        if self.root is None:
            return
        for screen in self.root.screens:
            screen.stale = True
        current = self.root.current_screen
        if current is not None:  # (the language can be set before the first screen is shown)
            current.update(self.snapshot)
            current.stale = False

    def read_aloud(self, screen) -> str:
        """'Read this screen aloud' (every page's header): the screen's text, spoken off the UI thread."""
        from ui.read_aloud import read_screen_aloud

        return read_screen_aloud(screen)

    def go(self, name: str, **options: Any) -> None:
        arriving = self.root.current != name  # asked before get_screen: the first screen built becomes current
        screen = self.root.get_screen(name)
        if screen.stale:
            screen.update(self.snapshot)
            screen.stale = False
        screen.prepare(**options)
        if arriving:
            self._note_screen(name)
        self.root.current = name
        page = screen.ids.get("page")
        if page is not None and not options.get("keep_scroll"):
            page.scroll_to_top()


def prepare_platform() -> None:
    """Android: TLS checked against certifi's CA bundle (OpenSSL there cannot see the system's store)."""
    import sys

    from portal.android import on_android

    if sys.platform.startswith("linux") and not on_android():
        # App.user_data_dir makes ~/.config/tellusonce but not ~/.config above it: a new account has none.
        Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config").mkdir(parents=True, exist_ok=True)
    if on_android():
        import certifi

        os.environ.setdefault("SSL_CERT_FILE", certifi.where())
        os.environ.setdefault("REQUESTS_CA_BUNDLE", certifi.where())


def run_app(make_portal: Callable[[str | None, Path], Portal] | None = None, api_given: bool = False,
            portal: Portal | None = None, demo: Demo | None = None,
            embedded_admin: tuple[str, str] | None = None) -> int:
    """``make_portal(api_url or None, the app's data folder)``: main.py's way to build the Portal.

    The endpoints saved in Settings are used unless ``api_given`` (--api or PORTAL_API_URL) says otherwise.
    A research session (``python main.py demo``) hands a ready ``portal`` and its ``demo`` instead.
    ``embedded_admin``: the embedded mock's facilitator key and URL, for research mode turned on in Settings.
    """
    prepare_platform()
    gc.disable()  # until the first screen is up: collections during start-up would only walk what lives on
    if portal is not None:
        app = TellUsOnceApp(portal=portal, portal_factory=make_portal and (lambda url: make_portal(url, portal.home)),
                            use_saved_api=False, demo=demo)
    else:
        assert make_portal is not None
        app = TellUsOnceApp(portal_factory=lambda url: make_portal(url, Path(app.user_data_dir)),
                            use_saved_api=not api_given, demo=demo)
    app.embedded_admin = embedded_admin
    app.run()
    return 0
