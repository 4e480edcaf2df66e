#!/usr/bin/env bash
# Install the Debian packages docgen needs, only those missing. As root it installs them;
# otherwise it prints the command to run. Used by `make demo` and `make test`.
set -euo pipefail

need=(
  python3-venv            # the .venv of the project
  libpango-1.0-0          # WeasyPrint's text layout
  libpangoft2-1.0-0
  libharfbuzz-subset0     # fast, reproducible font subsetting in WeasyPrint
  poppler-utils           # pdftotext / pdftoppm, to read PDFs back in tests
  libreoffice-writer-nogui  # the real office suite that must open every DOCX (tests only)
  libreoffice-impress-nogui  # opens the COPIL slides (diaporama.pptx) in a test
  fonts-liberation2       # metric-compatible fonts LibreOffice uses for Arial / Times
  chromium                # the real browser of the web workspace's end-to-end tests
)

missing=()
for pkg in "${need[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Paquets système manquants : ${missing[*]}" >&2
  echo "Installez-les avec : sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installation des paquets système : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
