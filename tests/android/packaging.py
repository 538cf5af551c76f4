"""What buildozer would put in the APK, computed from buildozer.spec the way buildozer computes it.

``packaged_files`` follows buildozer's ``_copy_application_sources`` (buildozer 1.5): hidden folders
and files are skipped; a folder or file is excluded by ``source.exclude_dirs`` or
``source.exclude_patterns`` and brought back by ``source.include_patterns`` (which only overrides
an exclusion); then, whatever the patterns said, a file whose extension is not in
``source.include_exts`` is left out.
"""

from __future__ import annotations

import configparser
import os
import re
from fnmatch import fnmatch
from pathlib import Path

from tests.conftest import ROOT


def spec() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.optionxform = str  # buildozer's option names are case-sensitive
    parser.read(ROOT / "buildozer.spec", encoding="utf-8")
    return parser["app"]


def getlist(app: configparser.SectionProxy, option: str) -> list[str]:
    return [item.strip() for item in app.get(option, "").split(",") if item.strip()]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(app: configparser.SectionProxy) -> set[str]:
    return {normalise(item.partition("==")[0]) for item in getlist(app, "requirements")}


def packaged_files(app: configparser.SectionProxy, source_dir: Path = ROOT) -> set[str]:
    include_exts = getlist(app, "source.include_exts")
    exclude_exts = getlist(app, "source.exclude_exts")
    exclude_dirs = getlist(app, "source.exclude_dirs")
    exclude_patterns = getlist(app, "source.exclude_patterns")
    include_patterns = getlist(app, "source.include_patterns")
    found = set()
    for root, _dirs, files in os.walk(source_dir, followlinks=True):
        if any(part.startswith(".") for part in root.split(os.sep)):
            continue
        filtered_root = root[len(str(source_dir)) + 1:].lower()
        if filtered_root:
            filtered_root += "/"
            excluded = any(filtered_root.startswith(d.lower() if d.endswith("/") else d.lower() + "/")
                           for d in exclude_dirs)
            if not excluded:
                excluded = any(fnmatch(filtered_root, p) for p in exclude_patterns)
            if any(fnmatch(filtered_root, p) for p in include_patterns):
                excluded = False
            if excluded:
                continue
        for name in files:
            if name.startswith("."):
                continue
            candidate = str(Path(filtered_root, name)) if filtered_root else name.lower()
            excluded = any(fnmatch(candidate, p) for p in exclude_patterns)
            if any(fnmatch(candidate, p) for p in include_patterns):
                excluded = False
            if excluded:
                continue
            ext = os.path.splitext(name)[1][1:]
            if ext and ((include_exts and ext not in include_exts) or (exclude_exts and ext in exclude_exts)):
                continue
            found.add(str(Path(root, name).relative_to(source_dir)))
    return found
