#!/usr/bin/env bash
# Debian packages MotCua needs beyond Python: Pango for WeasyPrint (PDF forms), poppler-utils
# (pdfsig, the independent check of our PDF signatures); with --browser (make test) also
# LibreOffice (the reports' exports are read back with it) and Chromium (and npm for axe-core)
# for the browser tests (driven by Playwright; its own browser download is never used); with
# --deployment (.ci/run) PgBouncer, which the multi-process deployment test puts in front of
# PostgreSQL as deploy/ does.
# As root with apt-get (CI, a fresh server) it installs what is missing; otherwise it says what
# to install and fails, so nothing half-works.
set -euo pipefail
missing=()
ldconfig -p | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
command -v pdfsig >/dev/null || missing+=(poppler-utils)  # independent signature validator
# A real IMAP server for the official-mailbox tests.
{ [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ]; } || missing+=(dovecot-imapd)
if [ "${1:-}" = "--browser" ]; then  # only the browser tests need it
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v npm >/dev/null || missing+=(nodejs npm)  # installs axe-core for the a11y checks
  # LibreOffice opens the reports' DOCX and XLSX in the tests and reads the numbers back.
  command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
fi
if [ "${1:-}" = "--deployment" ]; then
  [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "MotCua needs these system packages: ${missing[*]}" >&2
  echo "Install them, e.g.: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
