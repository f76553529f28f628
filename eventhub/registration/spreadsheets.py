"""Reading an uploaded spreadsheet (CSV or XLSX) as rows of text, within bounds.

CSV may come as Excel saves it: UTF-8 with or without a BOM, UTF-16 ("Unicode text", tab
separated), comma, semicolon or tab separated. XLSX is read with openpyxl in read-only mode (the
first sheet), after checking what its archive unpacks to, and with explicit bounds on rows,
columns, filled cells and time: the sheet's declared dimension is never trusted to be small.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from babel.numbers import format_decimal as _format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from eventhub.errors import DomainError

MAX_BYTES = 4 * 1024 * 1024
MAX_ROWS = 5000
# What an XLSX may unpack to, checked before anything is built from it: a small file can expand to
# gigabytes (a shared-strings bomb) or declare a sheet of 1,048,576 × 16,384 cells (A1:XFD1048576).
MAX_UNCOMPRESSED = 32 * 1024 * 1024  # all members together, as the zip directory declares them
MAX_MEMBERS = 500
MAX_COLUMNS = 60  # COLUMNS plus room for columns a spreadsheet carries that the import ignores
MAX_CELLS = 200_000  # cells with content
MAX_SECONDS = 10.0


# --- Reading ------------------------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")  # zero-padded year, also before 1000
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")  # an odd number of bytes is a UnicodeError too
        return data.decode("utf-8")
    except UnicodeError:
        raise DomainError(_("The file is not UTF-8 text. In Excel choose “Save as → CSV UTF-8 (comma "
                            "delimited)” or upload the .xlsx file itself."), field="file") from None


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DomainError(_("This is not a spreadsheet: upload a CSV or XLSX file."), field="file")
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:  # e.g. a field longer than 128 KB, a NUL character
        raise DomainError(_("The file could not be read as CSV (%(problem)s). Save it again as “CSV UTF-8” or "
                            "upload the .xlsx file itself.", problem=exc), field="file") from None


def _check_archive(data: bytes) -> None:
    """Refuse an XLSX whose members would unpack to more than MAX_UNCOMPRESSED, before openpyxl opens it.

    zipfile never reads a member past the size its directory declares (a member that lies fails its
    CRC check), so the declared sizes bound what can be unpacked.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _unreadable() from None
    if len(members) > MAX_MEMBERS:
        raise DomainError(_("The workbook has %(parts)s parts; at most %(limit)d can be read. Save the "
                            "delegates' sheet alone as a new workbook or as CSV UTF-8.",
                            parts=format_decimal(len(members)), limit=MAX_MEMBERS), field="file")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNCOMPRESSED:
        raise DomainError(_("The workbook unpacks to %(size)s MB; at most %(limit)d MB can be read. Save the "
                            "delegates' sheet alone as a new workbook or as CSV UTF-8.",
                            size=format_decimal(round(unpacked / 1024 / 1024)),
                            limit=MAX_UNCOMPRESSED // (1024 * 1024)), field="file")


def format_decimal(number: int) -> str:
    """1,048,576 in English, also where no request says the language (a service called by a script)."""
    return _format_decimal(number, locale=str(get_locale() or "en"))


def _unreadable() -> DomainError:
    return DomainError(_("The file could not be read as an XLSX workbook. Save it again from Excel (File → Save "
                         "as → Excel Workbook) or as CSV UTF-8."), field="file")


def _too_big(what: str) -> DomainError:
    return DomainError(_("The sheet is too large to import: %(what)s. Delete unused rows and columns (or copy "
                         "the delegates into a new workbook) and upload it again.", what=what), field="file")


def _read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's rows, reading no more than the bounds allow (rows, columns, cells, time).

    The sheet's declared dimension is refused when it is beyond the bounds, but not trusted when it
    is within them: the rows are read with explicit limits and reading stops past them.
    """
    import time

    import openpyxl

    _check_archive(data)
    unreadable = _unreadable()
    # A damaged workbook fails in many ways deep inside openpyxl (zipfile, XML ParseError, KeyError,
    # TypeError, …), while opening it or only while reading its rows: any of them means "unreadable".
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise unreadable from exc
    deadline = time.monotonic() + MAX_SECONDS
    try:
        sheet = workbook.worksheets[0]
        try:
            declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        except Exception:  # a damaged dimension: read with the bounds alone
            declared_rows = declared_columns = 0
        if declared_rows > MAX_ROWS + 1 or declared_columns > MAX_COLUMNS:
            raise _too_big(_("it declares %(rows)s rows and %(columns)s columns; at most %(max_rows)s rows of "
                             "delegates and %(max_columns)d columns can be imported",
                             rows=format_decimal(declared_rows), columns=format_decimal(declared_columns),
                             max_rows=format_decimal(MAX_ROWS), max_columns=MAX_COLUMNS))
        rows: list[list[str]] = []
        cells = 0
        for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, min_col=1, max_col=MAX_COLUMNS + 1,
                                   values_only=True):
            if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] not in (None, ""):
                raise _too_big(_("it has more than %(limit)d columns", limit=MAX_COLUMNS))
            values = [_cell(v) for v in row[:MAX_COLUMNS]]
            while values and not values[-1]:
                values.pop()
            cells += sum(1 for v in values if v)
            if cells > MAX_CELLS:
                raise _too_big(_("it has more than %(limit)s filled cells", limit=format_decimal(MAX_CELLS)))
            if time.monotonic() > deadline:
                raise _too_big(_("reading it took longer than %(limit)d seconds", limit=round(MAX_SECONDS)))
            rows.append(values)
        return rows
    except DomainError:
        raise
    except Exception as exc:
        raise unreadable from exc
    finally:
        try:
            workbook.close()
        except Exception:  # closing a damaged archive may fail as well; nothing was kept open
            pass


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The rows of the first sheet (or the CSV), as text. Refuses what is not a spreadsheet."""
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is larger than %(limit)d MB. Split it, or remove unused sheets and "
                            "columns.", limit=MAX_BYTES // (1024 * 1024)), field="file")
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if name.endswith((".xls", ".xlsm", ".ods", ".numbers")) or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(_("Only CSV and XLSX files can be imported. Save the file as “Excel Workbook (.xlsx)” "
                            "or “CSV UTF-8”."), field="file")
    if name.endswith(".xlsx"):
        raise DomainError(_("The file could not be read as an XLSX workbook."), field="file")
    if not name.endswith((".csv", ".txt", ".tsv")):
        raise DomainError(_("This is not a spreadsheet: upload a CSV or XLSX file."), field="file")
    return _read_csv(data)
