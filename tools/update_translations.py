"""Refresh ``workstation/resources/translations/workstation_en.ts`` from the code.

Runs the ``lupdate`` that ships with PySide6 over ``workstation/ui`` and ``workstation/app.py``:
new ``tr()`` strings are added as unfinished, existing translations are kept, strings no longer
in the code are dropped (``--keep-obsolete`` keeps them). Then lists what still needs an English
translation, and exits 1 if anything does (so CI can run it with ``--check``).

    python tools/update_translations.py            # update the .ts, list unfinished strings
    python tools/update_translations.py --check    # update a temporary copy only
    python tools/update_translations.py --release DIR   # also compile .qm files into DIR
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workstation.ui.i18n import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    compiled_catalog,
    translatable_sources,
    ts_path,
    unfinished_messages,
    update_ts,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not modify the .ts files")
    parser.add_argument("--keep-obsolete", action="store_true")
    parser.add_argument("--release", metavar="DIR", help="compile .qm files into DIR")
    args = parser.parse_args(argv)

    sources = translatable_sources()
    missing_total = 0
    with tempfile.TemporaryDirectory(prefix="workstation-ts-") as tmp:
        for language in LANGUAGES:
            if language == SOURCE_LANGUAGE:
                continue
            ts = ts_path(language)
            target = Path(tmp) / ts.name if args.check else ts
            if args.check and ts.exists():
                shutil.copyfile(ts, target)
            print(update_ts(target, sources, keep_obsolete=args.keep_obsolete, language=language))
            missing = unfinished_messages(target)
            missing_total += len(missing)
            for message in missing:
                print(f"unfinished [{language}] {message.context}: {message.source}")
            if args.release:
                print(compiled_catalog(language, Path(args.release)))
    print(f"{missing_total} string(s) without a finished translation")
    return 1 if missing_total else 0


if __name__ == "__main__":
    raise SystemExit(main())
