"""LibreOffice test harness (runs under the project interpreter, stdlib only).

Public API
----------
soffice_path() -> str | None
uno_python() -> str | None
require_libreoffice(*, uno: bool = False, pdftoppm: bool = False) -> str
make_profile(profile_dir: Path) -> str
convert(src: Path, fmt: str, outdir: Path, *, timeout: float = 120.0) -> Path
pdf_to_pngs(pdf: Path, outdir: Path, dpi: int = 60, *, timeout: float = 120.0) -> list[Path]
run_uno(actions, src, dst, *, timeout=120.0, connect_timeout=30.0) -> dict

Every soffice invocation gets its own throw-away user profile whose
registrymodifications.xcu forces "always recalculate on load" for OOXML and ODF,
so stale cached formula results never leak into PDFs / re-saved workbooks.

UNO (python3-uno) is only importable by the distro's /usr/bin/python3, so
``run_uno`` drives ``uno_worker.py`` as a subprocess with a cleaned environment and
talks JSON to it (see that file for the action protocol).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT = 120.0
CONNECT_TIMEOUT = 30.0
XLSX_FILTER = "Calc MS Excel 2007 XML"
PDF_FILTER = "calc_pdf_Export"
_CONVERT_FILTERS = {"pdf": PDF_FILTER, "xlsx": XLSX_FILTER}

WORKER = Path(__file__).with_name("uno_worker.py")

# Environment variables that would make Debian's python pick up the project's
# interpreter setup (and miss its own dist-packages/uno.py) or turn harmless
# warnings inside uno.py into errors.
_PY_ENV_DROP = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "PYTHONWARNINGS",
    "PYTHONSAFEPATH",
    "PYTHONNOUSERSITE",
    "VIRTUAL_ENV",
    "PYENV_VERSION",
    "CONDA_PREFIX",
)

_REGISTRY_XCU = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N">\
<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Save/Document">\
<prop oor:name="AutoSave" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


# --------------------------------------------------------------------------- discovery


def soffice_path() -> str | None:
    """Absolute path of the ``soffice`` launcher, or None if LibreOffice is absent.

    ``KUK_SOFFICE`` overrides the lookup (useful for a non-PATH install).
    """
    override = os.environ.get("KUK_SOFFICE")
    if override:
        return override if os.access(override, os.X_OK) else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for candidate in (
        "/usr/lib/libreoffice/program/soffice",
        "/opt/libreoffice/program/soffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _PY_ENV_DROP}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


@functools.cache
def _probe_uno(python: str) -> str | None:
    """None if ``python`` can ``import uno``; otherwise the error text."""
    try:
        proc = subprocess.run(
            [python, "-c", "import uno, unohelper"],
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{type(exc).__name__}: {exc}"
    if proc.returncode != 0:
        return proc.stderr.strip() or f"exit code {proc.returncode}"
    return None


def uno_python() -> str | None:
    """Interpreter that can ``import uno`` (``KUK_UNO_PYTHON`` or /usr/bin/python3)."""
    candidate = os.environ.get("KUK_UNO_PYTHON", "/usr/bin/python3")
    if not os.access(candidate, os.X_OK):
        return None
    return candidate if _probe_uno(candidate) is None else None


def _uno_python_or_raise() -> str:
    candidate = os.environ.get("KUK_UNO_PYTHON", "/usr/bin/python3")
    if not os.access(candidate, os.X_OK):
        raise RuntimeError(f"UNO python interpreter {candidate!r} not found")
    err = _probe_uno(candidate)
    if err is not None:
        raise RuntimeError(
            f"{candidate} cannot 'import uno' (install python3-uno, e.g. "
            f"'apt-get install python3-uno'; set KUK_UNO_PYTHON to override):\n{err}"
        )
    return candidate


def require_libreoffice(*, uno: bool = False, pdftoppm: bool = False) -> str:
    """Return the soffice path, or skip the test (locally) / fail it (CI=true).

    ``uno=True`` additionally requires an interpreter that can import ``uno``;
    ``pdftoppm=True`` additionally requires poppler's pdftoppm.
    """
    import pytest  # local import: keep the module importable without pytest

    missing: list[str] = []
    soffice = soffice_path()
    if soffice is None:
        missing.append("LibreOffice not installed")
    if uno:
        python = os.environ.get("KUK_UNO_PYTHON", "/usr/bin/python3")
        if not os.access(python, os.X_OK) or _probe_uno(python) is not None:
            missing.append(f"python3-uno not importable by {python}")
    if pdftoppm and shutil.which("pdftoppm") is None:
        missing.append("pdftoppm (poppler-utils) not installed")
    if missing:
        reason = "; ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: LibreOffice tests must run, not skip)")
        pytest.skip(reason)
    assert soffice is not None
    return soffice


def _soffice_or_raise() -> str:
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) not found on PATH")
    return soffice


# --------------------------------------------------------------------------- profiles


def make_profile(profile_dir: Path) -> str:
    """Seed a private LibreOffice profile in ``profile_dir``; return its file:// URL.

    Only ``user/registrymodifications.xcu`` is written (recalc-on-load = always);
    LibreOffice fills in the rest on first start.
    """
    user = Path(profile_dir) / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_REGISTRY_XCU, encoding="utf-8")
    return Path(profile_dir).resolve().as_uri()


def _soffice_args(soffice: str, profile_url: str) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile_url}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
        "--nofirststartwizard",
    ]


# --------------------------------------------------------------------------- processes


def _kill_group(proc: subprocess.Popen[Any], grace: float = 5.0) -> None:
    """Terminate ``proc``'s whole process group (started with a new session).

    SIGTERM first so oosplash can reap soffice.bin (no zombies), SIGKILL after
    ``grace`` seconds; always waits on ``proc``.
    """
    for sig, wait_for in ((signal.SIGTERM, grace), (signal.SIGKILL, 30.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait_for)
        except subprocess.TimeoutExpired:
            continue
        # leader gone; make sure nothing else of the group lingers
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        return
    proc.wait()


def _run_group(
    cmd: Sequence[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin_text: str | None = None,
) -> tuple[int, str, str]:
    """Run ``cmd`` in its own session; on timeout kill the whole group and raise."""
    with subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(stdin_text, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc, grace=2.0)
            out, err = proc.communicate()
            raise RuntimeError(
                f"timed out after {timeout:g}s: {' '.join(cmd)}\nstdout:\n{out}\nstderr:\n{err}"
            ) from None
        finally:
            # the leader exited but e.g. a detached soffice.bin might remain
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, out, err


# --------------------------------------------------------------------------- conversion


def convert(src: Path, fmt: str, outdir: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Convert ``src`` with headless soffice into ``outdir``; return the output file.

    ``fmt`` is "pdf" or "xlsx". Formulas are recalculated on load (private
    profile with OOXMLRecalcMode/ODFRecalcMode = always). soffice will not
    overwrite its input, so ``outdir`` must differ from ``src``'s folder when the
    output would have the same name. Raises RuntimeError (with soffice's output)
    on failure or timeout.
    """
    if fmt not in _CONVERT_FILTERS:
        raise ValueError(f"unsupported format {fmt!r}; expected one of {sorted(_CONVERT_FILTERS)}")
    src = Path(src).resolve()
    outdir = Path(outdir).resolve()
    if not src.is_file():
        raise FileNotFoundError(src)
    out = outdir / f"{src.stem}.{fmt}"
    if out == src:
        raise ValueError(f"convert would overwrite its input {src}; use a different outdir")
    soffice = _soffice_or_raise()
    outdir.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()

    with tempfile.TemporaryDirectory(prefix="kuk_lo_profile_") as tmp:
        profile_url = make_profile(Path(tmp) / "profile")
        cmd = [
            *_soffice_args(soffice, profile_url),
            "--convert-to",
            f"{fmt}:{_CONVERT_FILTERS[fmt]}",
            "--outdir",
            str(outdir),
            str(src),
        ]
        try:
            rc, stdout, stderr = _run_group(cmd, timeout=timeout, cwd=Path(tmp), env=_clean_env())
        except RuntimeError as exc:
            raise RuntimeError(f"soffice conversion of {src.name} to {fmt} failed: {exc}") from None

    # soffice exits 0 even when it could not load/convert, so check the file.
    if rc != 0 or not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(
            f"soffice conversion of {src} to {fmt} failed (exit code {rc}, "
            f"expected output {out}).\nstdout:\n{stdout.strip()}\nstderr:\n{stderr.strip()}"
        )
    return out


def pdf_to_pngs(
    pdf: Path, outdir: Path, dpi: int = 60, *, timeout: float = DEFAULT_TIMEOUT
) -> list[Path]:
    """Render every page of ``pdf`` to ``outdir/<stem>-<n>.png``; return them in page order."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RuntimeError("pdftoppm not found (install poppler-utils)")
    pdf = Path(pdf).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / pdf.stem
    rc, stdout, stderr = _run_group(
        [pdftoppm, "-png", "-r", str(int(dpi)), str(pdf), str(prefix)], timeout=timeout
    )
    if rc != 0:
        raise RuntimeError(
            f"pdftoppm failed on {pdf} (exit code {rc}):\n{stdout.strip()}\n{stderr.strip()}"
        )
    pages = sorted(
        (p for p in outdir.glob(f"{pdf.stem}-*.png") if p.stem.rsplit("-", 1)[1].isdigit()),
        key=lambda p: int(p.stem.rsplit("-", 1)[1]),
    )
    if not pages:
        raise RuntimeError(f"pdftoppm produced no pages for {pdf}:\n{stderr.strip()}")
    return pages


# --------------------------------------------------------------------------- UNO


class _WorkerCrashed(RuntimeError):
    """The UNO worker died by a signal before writing any result."""


def run_uno(
    actions: Sequence[Mapping[str, Any]],
    src: Path,
    dst: Path | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> dict[str, Any]:
    """Open ``src`` in a private headless soffice, apply ``actions``, save to ``dst``.

    One soffice per call. The document is recalculated (calculateAll) after
    loading, before every read action and before saving; ``dst`` (xlsx, "Calc MS
    Excel 2007 XML") may be None to skip saving. ``dst`` may equal ``src``.

    Returns ``{"results": [...one entry per action, None for pure edits...],
    "sheets": [sheet names after the actions], "saved": str | None}``.
    Raises RuntimeError with the worker traceback / soffice output on failure.
    See uno_worker.py for the action protocol.

    pyuno now and then dies by a signal (SIGSEGV) while the office shuts down.
    After the worker wrote its result that changes nothing and is ignored; a
    worker killed before it wrote one is run once more with a fresh soffice
    (unless it was saving over ``src``, which may then be half written).
    """
    same = dst is not None and Path(dst).resolve() == Path(src).resolve()
    try:
        return _run_uno_once(actions, src, dst, timeout, connect_timeout)
    except _WorkerCrashed:
        if same:
            raise
        return _run_uno_once(actions, src, dst, timeout, connect_timeout)


def _run_uno_once(
    actions: Sequence[Mapping[str, Any]],
    src: Path,
    dst: Path | None,
    timeout: float,
    connect_timeout: float,
) -> dict[str, Any]:
    src = Path(src).resolve()
    if not src.is_file():
        raise FileNotFoundError(src)
    dst_path = Path(dst).resolve() if dst is not None else None
    if dst_path is not None:
        dst_path.parent.mkdir(parents=True, exist_ok=True)
    soffice = _soffice_or_raise()
    python = _uno_python_or_raise()
    env = _clean_env()
    pipe_name = f"kuk_{os.getpid()}_{secrets.token_hex(6)}"

    with tempfile.TemporaryDirectory(prefix="kuk_lo_uno_") as tmp_str:
        tmp = Path(tmp_str)
        profile_url = make_profile(tmp / "profile")
        result_file = tmp / "result.json"
        request = {
            "pipe": pipe_name,
            "src": src.as_uri(),
            "dst": dst_path.as_uri() if dst_path is not None else None,
            "actions": [dict(a) for a in actions],
            "connect_timeout": connect_timeout,
            "result_file": str(result_file),
        }
        cmd = [
            *_soffice_args(soffice, profile_url),
            f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext",
        ]
        soffice_log = tmp / "soffice.log"
        with soffice_log.open("w", encoding="utf-8") as log:
            office = subprocess.Popen(
                cmd,
                cwd=tmp,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            try:
                rc, w_out, w_err = _run_group(
                    [python, str(WORKER)],
                    timeout=timeout,
                    cwd=tmp,
                    env=env,
                    stdin_text=json.dumps(request),
                )
            except RuntimeError as exc:
                raise RuntimeError(
                    f"UNO worker failed: {exc}\nsoffice log:\n{_read(soffice_log)}"
                ) from None
            # The worker asked soffice to terminate; give it a moment to exit cleanly.
            with contextlib.suppress(subprocess.TimeoutExpired):
                office.wait(timeout=15)
        finally:
            _kill_group(office)

        payload: dict[str, Any] | None = None
        if result_file.is_file():
            payload = json.loads(result_file.read_text(encoding="utf-8"))
        crashed = rc < 0  # killed by a signal
        if crashed and payload is not None and payload.get("ok"):
            rc = 0  # (pyuno's crash at shutdown, after the work was done and written)
        if rc != 0 or payload is None or not payload.get("ok"):
            if crashed and payload is None:
                raise _WorkerCrashed(
                    f"UNO worker killed by signal {-rc} for {src.name} before any "
                    f"result\nsoffice log:\n{_read(soffice_log)}"
                )
            detail = ""
            if payload is not None and payload.get("error"):
                detail = f"\n{payload['error']}"
                if payload.get("action_index") is not None:
                    idx = payload["action_index"]
                    detail = f"\naction #{idx} {json.dumps(payload.get('action'))}:{detail}"
            raise RuntimeError(
                f"UNO worker failed (exit code {rc}, soffice exit {office.returncode}) "
                f"for {src.name}:{detail}\nworker stderr:\n{w_err.strip()}\n"
                f"worker stdout:\n{w_out.strip()}\nsoffice log:\n{_read(soffice_log)}"
            )
    payload.pop("ok", None)
    payload.pop("error", None)
    return payload


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "<unavailable>"


if __name__ == "__main__":  # manual smoke check: python -m tests.support.libreoffice
    print("soffice:", soffice_path())
    print("uno python:", uno_python())
    sys.exit(0 if soffice_path() else 1)
