"""This process's own peak resident set, for the cold-start children.

The kernel's ru_maxrss of a child started by fork + exec keeps the parent's
high-water mark from before the exec (a child of a 295 MiB pytest reports at
least 295 MiB), so each child reads its own VmHWM, which exec resets.
"""

from __future__ import annotations


def peak_rss_kib() -> int:
    """VmHWM from /proc/self/status, in KiB (0 where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
