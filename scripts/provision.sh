#!/usr/bin/env bash
# The first step of `npm test`: the Debian packages the tests need that npm cannot install.
#   chromium            the headless-browser tests (test/helpers/browser.ts launches it)
#   fonts-wqy-microhei  Chinese text in screenshots and in generated PDFs
#   poppler-utils       pdftotext / pdftoppm, which read generated PDFs back
# When one is missing and this user may install (root, or sudo without a password, and apt-get exists),
# it installs exactly the missing ones; otherwise it stops at once and prints the command to run.
# EID_SKIP_PROVISION=1 skips the check, for a machine that provides these another way (said loudly).
# Only bash builtins are used besides apt-get/dpkg-query/sudo, so a test can run it with a PATH of stubs.
set -euo pipefail

say() { printf '[provision] %s\n' "$*" >&2; }

if [ "${EID_SKIP_PROVISION:-}" = "1" ]; then
  say '!!! EID_SKIP_PROVISION=1: NOT checking for chromium, fonts-wqy-microhei and poppler-utils.'
  say '!!! The browser and PDF tests fail if this machine does not provide them some other way.'
  exit 0
fi

have_package() {
  command -v dpkg-query >/dev/null 2>&1 &&
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

missing_packages() {
  missing=()
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    # A browser provided another way; test/helpers/browser.ts launches the same path.
    [ -x "$CHROMIUM_PATH" ] || {
      say "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
      exit 1
    }
  elif ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
  fi
  have_package fonts-wqy-microhei || missing+=(fonts-wqy-microhei)
  if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    missing+=(poppler-utils)
  fi
}

missing_packages
[ "${#missing[@]}" -eq 0 ] && exit 0

install_args=(install -y --no-install-recommends "${missing[@]}")
may_install=1
if ! command -v apt-get >/dev/null 2>&1; then
  may_install=0
elif [ "$EUID" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  # sudo resets the environment; env carries the non-interactive front end through it.
  as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
else
  may_install=0
fi

if [ "$may_install" -eq 0 ]; then
  say "missing Debian packages: ${missing[*]}"
  if command -v apt-get >/dev/null 2>&1; then
    say 'this user cannot install them (not root, no sudo without a password). Run:'
  else
    say 'this machine has no apt-get. On Debian, run the command below; elsewhere install the same'
    say 'programs and the WenQuanYi Micro Hei font, or set CHROMIUM_PATH / EID_SKIP_PROVISION=1:'
  fi
  printf '\n  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get %s\n\n' "${install_args[*]}" >&2
  exit 1
fi

say "installing Debian packages: ${missing[*]} (about 20 s)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get "${install_args[@]}"

missing_packages
if [ "${#missing[@]}" -gt 0 ]; then
  say "still missing after apt-get install: ${missing[*]}"
  exit 1
fi
