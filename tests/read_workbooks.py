#!/usr/bin/env python3
"""Open every .xlsx under a folder with openpyxl, as a second reader.

Usage: tests/read_workbooks.py <dir>

Prints each workbook's path (relative to <dir>) and, per sheet, its name,
dimensions, frozen pane, header and footer, tables and charts. Exits non-zero
if a workbook cannot be opened, has no sheets, a sheet lacks the marking in
its header -- so CI catches a file Excel would refuse or "repair" -- or a
table column holds more than one type of value (numbers and text, say), which
filters and sorting would trip over.
"""

import sys
from pathlib import Path


def mixed_columns(ws, table):
    """Raises if a column of `table` holds values of more than one type.
    Formulas count as numbers: opbrief's all compute numbers."""
    from openpyxl.utils.cell import range_boundaries

    first_col, first_row, last_col, last_row = range_boundaries(table.ref)
    for col in range(first_col, last_col + 1):
        kinds = set()
        for row in range(first_row + 1, last_row + 1):
            cell = ws.cell(row=row, column=col)
            if cell.value is None:
                continue
            kinds.add({"f": "n"}.get(cell.data_type, cell.data_type))
        if len(kinds) > 1:
            header = ws.cell(row=first_row, column=col).value
            raise ValueError(
                f"table {table.displayName!r} column {header!r} mixes types {sorted(kinds)}"
            )


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        import openpyxl
    except ImportError:
        print("error: openpyxl is not installed (pip install openpyxl)", file=sys.stderr)
        return 2

    root = Path(argv[1])
    books = sorted(root.rglob("*.xlsx"))
    if not books:
        print(f"error: no .xlsx files under {root}", file=sys.stderr)
        return 1
    failures = 0
    for path in books:
        name = path.relative_to(root).as_posix()
        try:
            wb = openpyxl.load_workbook(path)
            if not wb.sheetnames:
                raise ValueError("no sheets")
            print(f"{name}: {len(wb.sheetnames)} sheets, title {wb.properties.title!r}")
            for ws in wb.worksheets:
                header = ws.oddHeader.left.text or ""
                if not header:
                    raise ValueError(f"sheet {ws.title!r} has no marking in its header")
                for table in ws.tables.values():
                    mixed_columns(ws, table)
                charts = len(getattr(ws, "_charts", []))
                print(
                    f"  {ws.title}: {ws.dimensions}, freeze {ws.freeze_panes}, "
                    f"tables {sorted(ws.tables)}, charts {charts}, header {header!r}"
                )
        except Exception as error:  # any failure to read is a failure
            failures += 1
            print(f"{name}: FAILED: {type(error).__name__}: {error}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
