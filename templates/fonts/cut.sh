#!/bin/sh
# Re-cuts the bundled DejaVu Sans faces from Debian's fonts-dejavu-core.
# Needs: apt-get install fonts-dejavu-core; pip install fonttools (pyftsubset).
# Run from this folder: sh cut.sh
set -eu
SRC=${SRC:-/usr/share/fonts/truetype/dejavu}
# Basic Latin, Latin-1, Latin Extended-A/B, combining diacritics, Greek,
# Cyrillic (+ Supplement), General Punctuation (U+00A0, U+202F, U+2013,
# U+2014, U+2019, U+201C, U+201D, U+2022, U+2026, U+2030 …), superscript
# digits and signs (U+2070, U+2074-207B; ¹ ² ³ are in Latin-1), euro,
# numero, trade mark, arrows, minus sign, ≈ ≠ ≤ ≥ (opbrief prints open
# intervals as "≥ 500 kg"), a few geometric shapes. src/render/pdf/fonts.rs
# lists what opbrief itself prints (PRINTED) and tests both faces have it.
UNICODES="U+0020-007E,U+00A0-00FF,U+0100-017F,U+0180-024F,U+0300-036F,U+0370-03FF,U+0400-04FF,U+0500-052F,U+2000-206F,U+2070,U+2074-207B,U+20AC,U+2116,U+2122,U+2190-2193,U+2212,U+2248,U+2260,U+2264-2265,U+25A0-25A1,U+25CF"
for face in DejaVuSans DejaVuSans-Bold; do
  # No hinting (PDF viewers ignore most of it; it was half the size) and no
  # OpenType layout tables (the engine neither shapes nor kerns: it places
  # glyphs by their hmtx advances, so the tables would be dead weight).
  pyftsubset "$SRC/$face.ttf" --unicodes="$UNICODES" --no-hinting \
    --layout-features='' --drop-tables+=GDEF,GPOS,GSUB,MATH,FFTM \
    --name-IDs='*' --name-languages='*' --output-file="$face.ttf"
done
