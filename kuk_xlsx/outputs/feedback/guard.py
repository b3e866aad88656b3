"""openpyxl parses NGOs' files only through defusedxml: refuse to go on otherwise.

The reader never lets openpyxl near a returned file (it reads through the checked
view of :mod:`kuk_xlsx.package`); feedback copies do, so the guard lives here,
beside the only code that imports openpyxl.
"""

from __future__ import annotations


class SetupError(RuntimeError):
    """The installation is not safe to open workbooks with; ``message`` says how to fix it."""

    def __init__(self, why: str = "") -> None:
        self.why = why
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """What is wrong with the installation and the command that fixes it, in ``lang``."""
        from kuk_xlsx.catalogue import text

        said = text("outputs.feedback.defusedxml", lang)
        return f"{said} ({self.why})" if self.why else said


def require_defusedxml() -> None:
    """Refuse to go on unless openpyxl parses XML through defusedxml.

    openpyxl uses defusedxml only when it is installed and not switched off
    (``OPENPYXL_DEFUSEDXML=False``); call this before openpyxl opens a file
    someone sent.
    """
    try:
        import defusedxml  # noqa: F401
        import openpyxl.xml
        import openpyxl.xml.functions as functions
    except ImportError as exc:
        raise SetupError(str(exc)) from None
    if openpyxl.xml.DEFUSEDXML is not True:
        raise SetupError("OPENPYXL_DEFUSEDXML")
    parsers = [functions.iterparse]
    if not openpyxl.xml.LXML:  # with lxml, openpyxl's fromstring refuses entities itself
        parsers.append(functions.fromstring)
    if not all(getattr(f, "__module__", "").startswith("defusedxml") for f in parsers):
        raise SetupError("openpyxl.xml.functions")
