"""gnumeric's ``ssconvert`` as a second real client: it opens our workbook and saves it
as gnumeric does (its own XML, comments with an empty author list, hidden sheets shown)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def require_ssconvert() -> str:
    """The ssconvert path, or skip the test (locally) / fail it (CI=true)."""
    import pytest  # local import: keep the module importable without pytest

    found = shutil.which("ssconvert")
    if found is None:
        reason = "gnumeric's ssconvert not installed (apt-get install gnumeric)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: real-client tests must run, not skip)")
        pytest.skip(reason)
    return found


def ssconvert(src: Path, target: Path, timeout: float = 120) -> Path:
    """``src`` opened and saved as .xlsx by gnumeric, at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [require_ssconvert(), "--export-type=Gnumeric_Excel:xlsx2", str(src), str(target)],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "HOME": str(target.parent)},  # its settings, not the user's
        check=False,
    )
    if done.returncode != 0 or not target.is_file():
        raise RuntimeError(f"ssconvert failed ({done.returncode}): {done.stderr[-800:]!r}")
    return target
