"""Where the citizen saves a file (a receipt): plyer's file chooser, or a plain folder when there is none.

``App.file_chooser(suggested, filters)`` is called on a thread of its own (a desktop dialog
blocks until closed) and returns the chosen path, or None when the citizen cancelled; it
raises ChooserUnavailable where no dialog exists (plyer 2.1 cannot save on Android, and a
Linux desktop may have neither zenity, kdialog nor yad). The app then saves in the
citizen's Documents folder (or the app's own) and says where. Tests replace it.
"""

from __future__ import annotations

from pathlib import Path


class ChooserUnavailable(RuntimeError):
    """No file chooser on this device."""


def choose_with_plyer(suggested: Path, filters: list) -> str | None:
    from portal.android import on_android

    if on_android():  # before importing plyer: the phone does not package it (buildozer.spec)
        raise ChooserUnavailable("plyer's Android file chooser can only open files")
    from plyer import filechooser

    try:
        chosen = filechooser.save_file(path=str(suggested), filters=filters, title=suggested.name)
    except (OSError, NotImplementedError) as error:  # "No back-end available"
        raise ChooserUnavailable(str(error)) from error
    return str(chosen[0]) if chosen else None


def fallback_folder(app_folder: Path) -> Path:
    """The citizen's Documents folder when there is one, else the app's exports folder."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path(app_folder) / "exports"


def save_where_chosen(app, suggested: Path, filters: list, write, done, failed) -> None:
    """Ask where (``app.file_chooser`` on its own thread), then ``write(path)`` on the app's worker;
    ``done(path)`` with the path written, or ``done(None)`` when the citizen cancelled."""
    import threading

    from kivy.clock import Clock

    chooser = app.file_chooser
    extension = suggested.suffix

    def choose() -> None:
        try:
            chosen = chooser(suggested, filters)
        except ChooserUnavailable:
            chosen = str(suggested)
        except Exception as error:  # shown in plain words, never a traceback
            Clock.schedule_once(lambda _dt, e=error: failed(e), 0)
            return
        Clock.schedule_once(lambda _dt: write_chosen(chosen), 0)

    def write_chosen(chosen: str | None) -> None:
        if chosen is None:
            done(None)
            return
        path = Path(chosen)
        if path.suffix.lower() != extension:
            path = path.with_name(path.name + extension)
        app.work(lambda: write(path), done, failed)

    threading.Thread(target=choose, name="file-chooser", daemon=True).start()
