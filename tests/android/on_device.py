"""One Android scenario on a real JVM: ``python -m tests.android.on_device SCENARIO JSON``.

What a phone does before the app's Python runs is done here first (tests/android/java/standin/Device:
the AndroidKeyStore provider, the activity, the app's preferences folder); then the project's own code
runs unchanged on real pyjnius. The last line printed is the scenario's JSON answer.
"""

from __future__ import annotations

import json
import os
import sys


def boot(prefs: str, keystore: str, queries: list[str] | None = None):
    import jnius_config

    jnius_config.set_classpath(os.environ["STANDIN_CLASSES"])
    os.environ["ANDROID_ARGUMENT"] = prefs  # what python-for-android sets: the app is on Android
    import jnius

    device = jnius.autoclass("standin.Device")
    device.boot(prefs, keystore)
    device.declareQueries(queries or [])
    return jnius, device


def keystore_round_trip(prefs: str, keystore: str, home: str) -> dict:
    from pathlib import Path

    from portal.secrets import AndroidKeystoreBackend, open_secret_store

    boot(prefs, keystore)
    store = open_secret_store(Path(home))
    answer = {"backend": type(store.backend).__name__}
    store.set("access_token", "very-secret-token")
    answer["secret"] = store.get("access_token")
    store.set("username", "")
    answer["empty"] = store.get("username")
    store.delete("access_token")
    answer["deleted"] = store.get("access_token")
    answer["never_set"] = store.get("refresh_token")
    answer["alias_in_keystore"] = os.path.exists(os.path.join(keystore, AndroidKeystoreBackend.KEY_ALIAS))
    return answer


def portal_on_phone(prefs: str, keystore: str, home: str, profile: dict | None = None,
                    broken_keystore: bool = False) -> dict:
    """The Portal as the app opens it on a phone: reads the saved details (and saves some if given)."""
    from pathlib import Path

    from portal.core import Portal
    from portal.errors import PortalError

    _jnius, device = boot(prefs, keystore)
    device.breakKeystore(broken_keystore)
    answer: dict = {}
    try:
        portal = Portal(Path(home), "http://127.0.0.1:9")
        try:
            if profile is not None:
                portal.store.save_profile(profile)
            current = portal.store.current_profile()
            answer["given_names"] = current.person.get("given_names") if current else None
        finally:
            portal.close()
    except PortalError as error:  # what the app shows the citizen (ui.widgets.plain_message)
        answer["citizen_message"] = str(error.args[0]) if error.args else str(error)
        answer["error"] = type(error).__name__
    return answer


def keystore_stops_answering(prefs: str, keystore: str, home: str) -> dict:
    """A Keystore that stops answering for a while loses nothing: the value is there once it is back."""
    from pathlib import Path

    from portal.errors import SecretStoreUnavailable
    from portal.secrets import open_secret_store

    _jnius, device = boot(prefs, keystore)
    store = open_secret_store(Path(home))
    store.set("access_token", "kept")
    device.breakKeystore(True)
    answer = {}
    try:
        store.get("access_token")
    except SecretStoreUnavailable as error:
        answer["while_broken"] = str(error)
    device.breakKeystore(False)
    answer["after"] = store.get("access_token")
    return answer


def value_not_written_by_the_app(prefs: str, keystore: str, home: str) -> dict:
    """A preference that is not iv:sealed (changed outside the app) reads as absent and is removed."""
    from pathlib import Path

    from portal.secrets import AndroidKeystoreBackend, namespace_for, open_secret_store

    jnius, _device = boot(prefs, keystore)
    store = open_secret_store(Path(home))
    store.set("username", "someone")  # the Keystore key exists
    activity = jnius.autoclass("org.kivy.android.PythonActivity").mActivity
    shared = activity.getSharedPreferences(AndroidKeystoreBackend.PREFS, 0)
    name = f"{namespace_for(Path(home))}/access_token"
    shared.edit().putString(name, "not sealed at all").commit()
    return {"value": store.get("access_token"), "still_there": shared.contains(name),
            "other_entry": store.get("username")}


def plain_http_off_loopback_on_phone(prefs: str, keystore: str, home: str, api: str) -> dict:
    """The app on a phone told to use plain http to a LAN address: refused before any socket opens.
    An audit hook blocks (and notes) any connection off loopback, so nothing can leave this machine."""
    import ipaddress
    from pathlib import Path

    attempts: list[str] = []

    def no_connection_off_loopback(event: str, args: tuple) -> None:
        if event == "socket.connect":
            address = args[1]
            host = address[0] if isinstance(address, tuple) else str(address)
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                attempts.append(host)
                raise ConnectionRefusedError("blocked by the test: off loopback")

    sys.addaudithook(no_connection_off_loopback)
    from portal.core import Portal
    from portal.errors import PortalError

    boot(prefs, keystore)
    portal = Portal(Path(home), api)
    answer: dict = {}
    try:
        portal.session.sign_in("amira", "amira-demo-1")
        answer["signed_in"] = True
    except PortalError as error:
        answer["citizen_message"] = str(error)
    finally:
        portal.close()
    answer["connections_off_loopback"] = attempts
    return answer


SCENARIOS = {f.__name__: f for f in (keystore_round_trip, portal_on_phone, keystore_stops_answering,
                                     value_not_written_by_the_app, plain_http_off_loopback_on_phone)}

if __name__ == "__main__":
    result = SCENARIOS[sys.argv[1]](**json.loads(sys.argv[2]))
    print(json.dumps(result), flush=True)
