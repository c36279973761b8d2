#!/usr/bin/env python3
"""Open every .xlsx under a folder with openpyxl, as a second reader.

Usage: tests/read_workbooks.py <dir>

Prints each workbook's path (relative to <dir>) and, per sheet, its name,
dimensions, frozen pane, header and footer, tables and charts. Exits non-zero
if a workbook cannot be opened, has no sheets, or a sheet lacks the marking in
its header -- so CI catches a file Excel would refuse or "repair".
"""

import sys
from pathlib import Path


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
