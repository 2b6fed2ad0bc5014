#!/usr/bin/env bash
# Install guiagent on Debian 12 / Ubuntu 22.04+: system packages, then a virtual environment in
# .venv (built on the system Python with --system-site-packages so Debian's pyatspi is usable).
#
#   bash installer/install-debian.sh          # runtime: X tools, AT-SPI, fonts, Chromium,
#                                             #   guiagent[linux,browser]
#   bash installer/install-debian.sh --dev    # plus the test applications, MiniWoB++ pages
#                                             #   (guiagent[eval]), dev tools and torch (train)
#
# Environment: GUIAGENT_VENV (default: <repo>/.venv), GUIAGENT_SKIP_APT=1 to skip apt-get.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GUIAGENT_VENV:-$here/.venv}"
dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (known: --dev)" >&2; exit 2 ;;
  esac
done

runtime_packages=(
  python3 python3-venv python3-pip python3-gi
  xvfb openbox x11-utils xdotool wmctrl xdg-utils        # virtual display, window manager
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0 dbus dbus-x11   # accessibility tree
  fonts-dejavu-core fonts-noto-cjk                        # legible text for OCR, CJK included
  adwaita-icon-theme fonts-font-awesome fonts-material-design-icons-iconfont  # icons to name
  chromium                                                # the browser driver's browser (Playwright
)                                                         #   drives it; no browser download)
dev_packages=(
  xterm galculator mousepad python3-tk                    # the real apps the tests drive
  imagemagick scrot                                       # scrot: the pyautogui baseline in benchmarks
  fonts-liberation2 fonts-noto-core                       # more faces for the detector's training screens
  ristretto xfconf tumbler                                # grounding_set_v4dev's desktop screens (make_set.py --no-desktop skips them)
  geany                                                   # grounding_set_v5dev's desktop screens (make_set.py --no-desktop skips them)
  mate-calc                                               # grounding_set_v6dev's desktop screens (make_set.py --no-desktop skips them)
)

if [ "${GUIAGENT_SKIP_APT:-0}" != 1 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  packages=("${runtime_packages[@]}")
  [ "$dev" = 1 ] && packages+=("${dev_packages[@]}")
  echo "==> apt-get install ${#packages[@]} packages"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${packages[@]}" >/dev/null
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "==> creating $venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
extras="linux,browser"
[ "$dev" = 1 ] && extras="linux,browser,eval,dev,train"  # train: torch, for the detector's training tests
echo "==> pip install -e .[$extras]"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e "$here[$extras]"
"$venv/bin/python" -c "import guiagent, pyatspi, playwright.sync_api" \
  || { echo "guiagent, pyatspi or playwright does not import from $venv" >&2; exit 1; }
echo "==> ready: $venv/bin/guiagent (try: $venv/bin/guiagent doctor)"
