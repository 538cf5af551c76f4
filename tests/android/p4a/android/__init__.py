"""Stand-in for python-for-android's own ``android`` module (the "android" recipe in buildozer.spec):
the running activity, and the presplash Kivy removes after the first frame. Only the names Kivy and the
app call. Finishing the activity ends the app, as Android's SDL does by quitting the event loop."""

from jnius import autoclass

_activity = autoclass("org.kivy.android.PythonActivity").mActivity
presplash_removed = False


class _Activity:
    def __getattr__(self, name):
        return getattr(_activity, name)

    def finishAndRemoveTask(self) -> None:
        from kivy.base import EventLoop

        _activity.finishAndRemoveTask()
        EventLoop.quit = True  # SDL's "app_terminating" does this on a phone


mActivity = _Activity()


def remove_presplash() -> None:
    global presplash_removed
    presplash_removed = True
