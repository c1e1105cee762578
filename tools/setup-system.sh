#!/usr/bin/env bash
# System packages the tests need beyond Node: Debian's Chromium, for the browser check of
# @gated/backend-wasm (headless, driven by playwright-core, which downloads no browser).
# Idempotent; needs root (or sudo) on Debian.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
