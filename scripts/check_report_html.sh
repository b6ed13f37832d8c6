#!/usr/bin/env bash
# Renders the weekly report as HTML (English and Chinese) on a demo desk,
# screenshots it in headless Chromium from Debian's packages (installed
# here when missing) and checks that the page is not blank and that every
# chart drew something: each SVG is cut out of the page and rendered alone,
# and must have enough coloured (non-white, non-grey) pixels.
#
#   scripts/check_report_html.sh [path/to/tdesk] [out-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/target/release/tdesk}"
out="${2:-$(mktemp -d)}"
mkdir -p "$out"

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing Debian's chromium (and CJK fonts) for the HTML check" >&2
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    if ! { $sudo_cmd apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }; then
        echo "SKIPPED: chromium could not be installed (no root or no package registry)" >&2
        exit 0
    fi
fi
python3 -c 'import PIL' 2>/dev/null || python3 -m pip install -q pillow >/dev/null 2>&1

db="$out/desk.db"
rm -f "$db"*
"$bin" --db "$db" init >/dev/null
"$bin" --db "$db" demo >/dev/null

shot() { # page.html picture.png width height
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$out/profile" --hide-scrollbars \
        --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1
}

for lang in en zh-CN; do
    page="$out/report-$lang.html"
    "$bin" --db "$db" --lang "$lang" report weekly --format html --out "$page" >/dev/null
    if grep -qiE '<script|src=|href=' "$page"; then
        echo "FAIL: $page loads or runs something" >&2
        exit 1
    fi
    shot "$page" "$out/report-$lang.png" 1000 2400
    # Each chart alone.
    python3 - "$page" "$out" "$lang" <<'PY'
import re, sys, pathlib
page, out, lang = sys.argv[1:]
svgs = re.findall(r"<svg.*?</svg>", pathlib.Path(page).read_text(), re.S)
assert len(svgs) >= 4, f"expected at least 4 charts, found {len(svgs)}"
for i, svg in enumerate(svgs):
    pathlib.Path(out, f"chart-{lang}-{i}.html").write_text(
        '<!DOCTYPE html><meta charset="utf-8"><body style="margin:0;background:#fff">' + svg)
print(len(svgs))
PY
    n=$(ls "$out"/chart-"$lang"-*.html | wc -l)
    for ((i = 0; i < n; i++)); do
        shot "$out/chart-$lang-$i.html" "$out/chart-$lang-$i.png" 700 400
    done
done

python3 - "$out" <<'PY'
import sys, glob
from PIL import Image
out = sys.argv[1]
def coloured(path):
    img = Image.open(path).convert("RGB")
    px = list(img.tobytes())
    px = zip(px[0::3], px[1::3], px[2::3])
    # Coloured: channels differ (bars, lines); grey text and grid lines do not.
    return sum(1 for r, g, b in px if max(r, g, b) - min(r, g, b) > 40)
failed = False
for page in sorted(glob.glob(f"{out}/report-*.png")):
    img = Image.open(page).convert("L")
    dark = sum(1 for v in img.tobytes() if v < 128)
    print(f"{page}: {dark} dark pixels")
    if dark < 5000:
        print("FAIL: the page is (nearly) blank"); failed = True
for chart in sorted(glob.glob(f"{out}/chart-*.png")):
    n = coloured(chart)
    print(f"{chart}: {n} coloured pixels")
    if n < 300:
        print("FAIL: a chart drew nothing"); failed = True
sys.exit(1 if failed else 0)
PY
echo "report HTML check passed: $out"
