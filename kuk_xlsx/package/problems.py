"""What a package may hold, and how the preflight says why it refused a file.

The limits every check is made against (:class:`Limits`, one frozen default
:data:`LIMITS`), the plain messages in kk/ru/en for each kind of refusal and for
the limit a file went over, and the error every check raises:
:class:`ReadError`, carrying a :class:`FileProblem` (language-neutral, rendered
in the reader's language on demand).  Nothing here looks at a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kuk_xlsx.spec.template import Label


@dataclass(frozen=True)
class Limits:
    """What a package may hold; the message for a file over a limit names it."""

    max_file_bytes: int = 128 * 1024 * 1024  # the file as sent, before anything is unpacked
    max_entries: int = 2_000
    max_part_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for parts over 1 MiB
    # Parts parsed into a tree here (workbook.xml, its rels, custom.xml): ours are ~10 KB.
    max_parsed_part_bytes: int = 8 * 1024 * 1024
    # The area of a sheet handed to the cell reader; cells beyond are dropped first.
    max_rows: int = 10_000
    max_cols: int = 78
    # Sheet XML handed to the cell reader, all sheets together (a full 10,000 x 78
    # sheet is about 30 MB): bounds the values read into memory.
    max_sheet_bytes: int = 64 * 1024 * 1024
    # For readers that build every cell, formatted or not (openpyxl): cells in all sheets.
    max_cells: int = 100_000
    # The area of all sheets one read looks at (rows x columns of each grid read):
    # five full 10,000 x 78 sheets.  150 sheets with a value at BZ10000, searched
    # for a step's title, took 9 s and 1.1 GB.
    max_read_cells: int = 4_000_000
    # The shared strings, parsed whole by every reader (ours are ~50 KB; 16 MiB is
    # ~700,000 short texts: 0.4 s and 160 MB to read).
    max_shared_strings_bytes: int = 16 * 1024 * 1024
    # For the feedback copy (openpyxl makes an object of every style and text, and
    # writes them back): styles up to Excel's own 64,000 cell formats (~4-6 MB),
    # shared strings up to ~150,000 texts.
    max_copy_styles_bytes: int = 6 * 1024 * 1024
    max_copy_shared_strings_bytes: int = 4 * 1024 * 1024


LIMITS = Limits()

MESSAGES: dict[str, Label] = {
    "unreadable": Label(
        kk="Файлды ашу мүмкін болмады.",
        ru="Не удалось открыть файл.",
        en="The file could not be opened.",
    ),
    "empty": Label(
        kk="Файл бос (0 байт): оны қайта жіберуді сұраңыз.",
        ru="Файл пустой (0 байт): попросите прислать его ещё раз.",
        en="The file is empty (0 bytes): ask for it to be sent again.",
    ),
    "xls": Label(
        kk="Бұл ескі Excel 97-2003 (.xls) файлы: оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Это старый файл Excel 97-2003 (.xls): пересохраните его как «Книга Excel (.xlsx)».",
        en="This is an old Excel 97-2003 (.xls) file: re-save it as Excel Workbook (.xlsx).",
    ),
    "xlsb": Label(
        kk="Бұл Excel екілік кітабы (.xlsb): оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Это двоичная книга Excel (.xlsb): пересохраните её как «Книга Excel (.xlsx)».",
        en="This is an Excel Binary Workbook (.xlsb): re-save it as Excel Workbook (.xlsx).",
    ),
    "xml2003": Label(
        kk="Бұл ескі «XML 2003 кестесі» файлы: оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Это старый файл «Таблица XML 2003»: пересохраните его как «Книга Excel (.xlsx)».",
        en="This is an old XML Spreadsheet 2003 file: re-save it as Excel Workbook (.xlsx).",
    ),
    "encrypted": Label(
        kk="Файл құпиясөзбен қорғалған: құпиясөзді алып тастап, қайта жіберіңіз.",
        ru="Файл защищён паролем: снимите пароль и пришлите файл ещё раз.",
        en="The file is protected with a password: remove the password and send it again.",
    ),
    "ods": Label(
        kk="Бұл OpenDocument (.ods) файлы: оны Excel (.xlsx) пішімінде сақтаңыз.",
        ru="Это файл OpenDocument (.ods): сохраните его в формате Excel (.xlsx).",
        en="This is an OpenDocument (.ods) file: save it as Excel Workbook (.xlsx).",
    ),
    "html": Label(
        kk="Бұл веб-бет (HTML), Excel файлы емес: жұмыс дәптерін .xlsx ретінде сақтаңыз.",
        ru="Это веб-страница (HTML), а не файл Excel: сохраните рабочую тетрадь как .xlsx.",
        en="This is a web page (HTML), not an Excel file: save the workbook as .xlsx.",
    ),
    "text": Label(
        kk="Бұл мәтіндік (CSV) файл, Excel жұмыс кітабы емес: түпнұсқа .xlsx файлын жіберіңіз.",
        ru="Это текстовый (CSV) файл, а не книга Excel: пришлите исходный файл .xlsx.",
        en="This is a text (CSV) file, not an Excel workbook: send the original .xlsx file.",
    ),
    "not-zip": Label(
        kk="Бұл Excel файлы емес (немесе ол бүлінген).",
        ru="Это не файл Excel (или он повреждён).",
        en="This is not an Excel file (or it is damaged).",
    ),
    "truncated": Label(
        kk="Файл толық жүктелмеген (үзілген): оны қайта жіберуді сұраңыз.",
        ru="Файл загружен не полностью (обрезан): попросите прислать его ещё раз.",
        en="The file is incomplete (cut off): ask for it to be sent again.",
    ),
    "damaged": Label(
        kk="Файл бүлінген: Excel-де ашып, қайта сақтап, қайта жіберіңіз.",
        ru="Файл повреждён: откройте его в Excel, пересохраните и пришлите ещё раз.",
        en="The file is damaged: open it in Excel, save it again and send it again.",
    ),
    "strict": Label(
        kk="Файл «Strict Open XML» пішімінде: оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Файл в формате «Strict Open XML»: пересохраните его как «Книга Excel (.xlsx)».",
        en="The file is in Strict Open XML format: re-save it as Excel Workbook (.xlsx).",
    ),
    # {detail} is filled with " (…)" when there is one, else with nothing.
    "too-large": Label(
        kk="Файл тым үлкен немесе тым көп бөліктен тұрады{detail}: оны тексеріңіз.",
        ru="Файл слишком большой или состоит из слишком многих частей{detail}: проверьте его.",
        en="The file is too large or has too many parts{detail}: please check it.",
    ),
    "unsafe-xml": Label(
        kk="Файлда Excel ешқашан жазбайтын қауіпті XML бар{detail}: ол оқылмады.",
        ru="В файле есть опасный XML, который Excel никогда не пишет{detail}: он не прочитан.",
        en="The file contains unsafe XML that Excel never writes{detail}: it was not read.",
    ),
    "not-workbook": Label(
        kk="Файлда Excel жұмыс кітабы жоқ: қажетті бөлігі жоқ{detail}.",
        ru="В файле нет книги Excel: нет обязательной части{detail}.",
        en="The file holds no Excel workbook: a part it needs is missing{detail}.",
    ),
}

# The limit a file went over, named in the user's language ({part}: the part).
LIMIT_TEXT: dict[str, Label] = {
    "max_file_bytes": Label(
        kk="{found} байт, шегі {limit}",
        ru="{found} байт, предел {limit}",
        en="{found} bytes, limit {limit}",
    ),
    "max_entries": Label(
        kk="{found} бөлік, шегі {limit}",
        ru="частей: {found}, предел {limit}",
        en="{found} parts, limit {limit}",
    ),
    "max_part_bytes": Label(
        kk="{part}: {found} байт, бір бөліктің шегі {limit}",
        ru="{part}: {found} байт, предел для одной части {limit}",
        en="{part}: {found} bytes, limit per part {limit}",
    ),
    "max_parsed_part_bytes": Label(
        kk="{part}: {found} байт, шегі {limit}",
        ru="{part}: {found} байт, предел {limit}",
        en="{part}: {found} bytes, limit {limit}",
    ),
    "max_shared_strings_bytes": Label(
        kk="{part}: мәтіндер {found} байт, шегі {limit}",
        ru="{part}: тексты {found} байт, предел {limit}",
        en="{part}: {found} bytes of texts, limit {limit}",
    ),
    "max_copy_styles_bytes": Label(
        kk="{part}: пішімдер {found} байт, көшірменің шегі {limit}",
        ru="{part}: форматы {found} байт, предел для копии {limit}",
        en="{part}: {found} bytes of formats, limit for a copy {limit}",
    ),
    "max_copy_shared_strings_bytes": Label(
        kk="{part}: мәтіндер {found} байт, көшірменің шегі {limit}",
        ru="{part}: тексты {found} байт, предел для копии {limit}",
        en="{part}: {found} bytes of texts, limit for a copy {limit}",
    ),
    "max_total_bytes": Label(
        kk="барлығы {found} байт, шегі {limit}",
        ru="всего {found} байт, предел {limit}",
        en="{found} bytes in all, limit {limit}",
    ),
    "max_ratio": Label(
        kk="{part}: сығу коэффициенті {found}, шегі {limit}",
        ru="{part}: степень сжатия {found}, предел {limit}",
        en="{part}: compression ratio {found}, limit {limit}",
    ),
    "area": Label(
        kk="«{part}» парағында жұмыс дәптері пайдаланатын аймақтан тыс ұяшықтар бар",
        ru="на листе «{part}» есть ячейки за пределами области, которую использует тетрадь",
        en="the sheet “{part}” has cells beyond the area a workbook may use",
    ),
    "max_sheet_bytes": Label(
        kk="парақтарда {found} байт, шегі {limit}",
        ru="в листах {found} байт, предел {limit}",
        en="{found} bytes in the sheets, limit {limit}",
    ),
    "max_cells": Label(
        kk="{found} ұяшық, шегі {limit}",
        ru="ячеек: {found}, предел {limit}",
        en="{found} cells, limit {limit}",
    ),
    "max_read_cells": Label(
        kk="оқылған парақтарда {found} ұяшық, шегі {limit}",
        ru="в прочитанных листах ячеек: {found}, предел {limit}",
        en="{found} cells in the sheets read, limit {limit}",
    ),
    "max_rows": Label(
        kk="{found} жол, шегі {limit}",
        ru="строк: {found}, предел {limit}",
        en="{found} rows, limit {limit}",
    ),
}


@dataclass(frozen=True)
class FileProblem:
    """Why a file cannot be read at all; rendered in the user's language.

    ``detail`` is language-neutral (a part name); a file over a limit also
    carries the limit's name (a :class:`Limits` field), what was found and the
    limit, so the message names the limit in the user's language.
    """

    code: str
    path: str
    detail: str = ""
    limit: str = ""
    found: int = 0
    maximum: int = 0

    def fields(self) -> dict[str, str | int]:
        """What the message is made from, for a finding's params (JSON-able)."""
        return {
            "detail": self.detail,
            "limit": self.limit,
            "found": self.found,
            "maximum": self.maximum,
        }

    def message(self, lang: str) -> str:
        """The plain message in ``lang``."""
        label = MESSAGES.get(self.code, MESSAGES["unreadable"])
        detail = self.detail
        if self.limit in LIMIT_TEXT:
            detail = (
                LIMIT_TEXT[self.limit]
                .get(lang)
                .format(part=self.detail, found=self.found, limit=self.maximum)
            )
        return label.get(lang).format(detail=f" ({detail})" if detail else "")


class ReadError(Exception):
    """The file cannot be read as a workbook at all; ``problem`` says why."""

    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem
        super().__init__(problem.message("en"))
