#!/usr/bin/env python3
"""A real reader's recalculation of opbrief's workbooks.

Usage: recalc.py WORKBOOK.xlsx...

LibreOffice (headless) opens each workbook with recalculation forced on
load — by default it keeps the cached values of files that say Excel wrote
them — and saves a copy; openpyxl then compares, for every formula cell of
the original, the value LibreOffice computed with the value opbrief cached
(data_only=True on the original). Any difference fails.

As a control, a copy of the first workbook with one cached formula result
planted wrong must fail the same comparison: it proves the recalculation
really happened (without it LibreOffice would hand the planted value back).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

# Always recalculate on load, for OOXML and ODF files alike.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice():
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("recalc: LibreOffice (soffice) is not installed")


def recalculate(paths, work):
    """LibreOffice's recalculated copies of `paths`, by original path."""
    profile = os.path.join(work, "profile")
    user = os.path.join(profile, "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE)
    copies = {}
    # Distinct names: packs of different folders may share a file name.
    staged = os.path.join(work, "in")
    out = os.path.join(work, "out")
    os.makedirs(staged)
    os.makedirs(out)
    inputs = []
    for index, path in enumerate(paths):
        name = f"{index:03d}.xlsx"
        shutil.copy(path, os.path.join(staged, name))
        inputs.append(os.path.join(staged, name))
        copies[path] = os.path.join(out, name)
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            out,
            *inputs,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=600,
    )
    for path, copy in copies.items():
        if not os.path.exists(copy):
            sys.exit(f"recalc: LibreOffice wrote no copy of {path}")
    return copies


def same(cached, computed):
    if isinstance(cached, bool) or isinstance(computed, bool):
        return cached == computed
    if isinstance(cached, (int, float)) and isinstance(computed, (int, float)):
        return abs(cached - computed) <= 1e-9 * max(1.0, abs(cached))
    return cached == computed


def compare(original, recalculated):
    """(formulas compared, list of differences)."""
    formulas = openpyxl.load_workbook(original, data_only=False)
    cached = openpyxl.load_workbook(original, data_only=True)
    computed = openpyxl.load_workbook(recalculated, data_only=True)
    count, differences = 0, []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                count += 1
                want = cached[ws.title][cell.coordinate].value
                got = computed[ws.title][cell.coordinate].value
                if want is None or not same(want, got):
                    differences.append(
                        f"{original} {ws.title}!{cell.coordinate} {cell.value}: "
                        f"cached {want!r}, LibreOffice {got!r}"
                    )
    return count, differences


def plant_wrong_value(path, into):
    """A copy of `path` whose first cached numeric formula result on the
    Summary sheet is off by one."""
    with zipfile.ZipFile(path) as source:
        names = source.namelist()
        parts = {name: source.read(name) for name in names}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    planted = re.sub(
        r"(<f>[^<]*</f><v>)(-?[0-9.]+)(</v>)",
        lambda m: f"{m.group(1)}{float(m.group(2)) + 1:g}{m.group(3)}",
        xml,
        count=1,
    )
    if planted == xml:
        sys.exit(f"recalc: no cached formula result to plant in {path}")
    parts[sheet] = planted.encode()
    with zipfile.ZipFile(into, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            target.writestr(name, parts[name])


def main(paths):
    if not paths:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as work:
        control = os.path.join(work, "control-planted.xlsx")
        plant_wrong_value(paths[0], control)
        copies = recalculate(paths + [control], work)
        total, failures = 0, []
        for path in paths:
            count, differences = compare(path, copies[path])
            if count == 0:
                failures.append(f"{path}: no formula to compare")
            total += count
            failures.extend(differences)
            print(f"{path}: {count} formulas, {len(differences)} differences")
        _, caught = compare(control, copies[control])
        if not caught:
            failures.append("control: the planted wrong cached value was not caught")
        else:
            print(f"control: planted value caught ({caught[0]})")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print(f"recalc: {total} formulas in {len(paths)} workbooks match LibreOffice")


if __name__ == "__main__":
    main(sys.argv[1:])
