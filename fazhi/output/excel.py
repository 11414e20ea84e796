"""Excel workbooks (pandas + openpyxl): one sheet per table, the header row frozen, long
text wrapped in wide columns. Written atomically."""
from dataclasses import dataclass, field

WIDTH = 12  # characters, for columns not named in ``Sheet.widths``


@dataclass
class Sheet:
    name: str
    rows: list[dict]
    columns: list[str]
    widths: dict[str, int] = field(default_factory=dict)  # wide columns: their text is wrapped


def write_workbook(path: str, sheets: list[Sheet]) -> None:
    """Write ``sheets`` to the .xlsx file ``path``, replacing it only when all went well."""
    import pandas as pd

    from fazhi.atomic import atomic_path

    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for sheet in sheets:
                frame = pd.DataFrame(sheet.rows, columns=sheet.columns)
                frame.to_excel(writer, sheet_name=sheet.name, index=False, freeze_panes=(1, 0))
                _shape(writer.sheets[sheet.name], sheet)


def _shape(worksheet, sheet: Sheet) -> None:
    """Column widths; wide columns wrap their text, every cell aligned to the top."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for i, name in enumerate(sheet.columns, 1):
        letter = get_column_letter(i)
        wide = name in sheet.widths
        worksheet.column_dimensions[letter].width = sheet.widths.get(name, max(WIDTH, len(name) + 2))
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=i, max_col=i):
            cell.alignment = Alignment(wrap_text=wide, vertical="top")
