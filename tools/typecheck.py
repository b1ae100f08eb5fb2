"""Run mypy (strict, as configured in pyproject.toml) over the one `scokg` package.

The code folders live at the top of the repository (extract/, graph/, server/) and are
installed under `scokg` by setuptools' package-dir mapping, which mypy cannot follow. This
script lays the package out as it is installed - a tree of symbolic links in a temporary
folder - and checks that tree, so every `scokg.*` import is resolved and typed.

    python tools/typecheck.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = {
    "scokg": "scokg",
    "scokg/extract": "extract",
    "scokg/graph": "graph",
    "scokg/server": "server",
}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="scokg-mypy-") as tmp:
        base = Path(tmp)
        for target, source in LAYOUT.items():
            (base / target).parent.mkdir(parents=True, exist_ok=True)
            if target == "scokg":
                (base / target).mkdir()
                for item in (ROOT / source).iterdir():
                    (base / target / item.name).symlink_to(item)
            else:
                (base / target).symlink_to(ROOT / source)
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--no-incremental",
            str(base / "scokg"),
        ]
        return subprocess.run(command, cwd=base).returncode


if __name__ == "__main__":
    sys.exit(main())
