#!/usr/bin/env python3
"""Adds corrections to a demo operation folder (from `opbrief demo`): one
to the first participant return's `officers` and one to the consolidated
figure of the same metric, each from the value in force, so both apply.

Usage: demo_corrections.py OPERATION_FOLDER
"""

import os
import sys
import tomllib


def main(folder):
    returns = os.path.join(folder, "returns")
    names = sorted(n for n in os.listdir(returns) if n != "consolidated.toml")
    with open(os.path.join(returns, names[0]), "rb") as f:
        first = tomllib.load(f)
    with open(os.path.join(returns, "consolidated.toml"), "rb") as f:
        consolidated = tomllib.load(f)
    own = first["figures"]["officers"]
    total = consolidated["figures"]["officers"]
    os.makedirs(os.path.join(folder, "corrections"), exist_ok=True)
    with open(os.path.join(folder, "corrections", "late.toml"), "w") as f:
        f.write(
            f"""[[corrections]]
id = "late-officers"
date = 2024-03-20
reporter = "{first['reporter']}"
day = {first['day']}
metric = "officers"
from = {own}
to = {own + 5}
reason = "Five officers reported late"
requested_by = "{first['reporter']}"

[[corrections]]
id = "consolidated-officers"
date = 2024-03-21
reporter = "coordination"
metric = "officers"
from = {total}
to = {total + 5}
reason = "The same five officers in the consolidated figure"
requested_by = "coordination"
"""
        )


if __name__ == "__main__":
    main(sys.argv[1])
