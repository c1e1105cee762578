#!/usr/bin/env bash
# System packages the tests need beyond Node, from Debian:
# - chromium: the browser checks of @gated/backend-wasm and @gated/backend-webgpu (headless,
#   driven by playwright-core, which downloads no browser). It also ships SwiftShader, a Vulkan
#   driver in software (/usr/lib/chromium/vk_swiftshader_icd.json), which gives WebGPU an
#   adapter on machines without a GPU, in Chromium and in Node.
# - libvulkan1: the Vulkan loader that Dawn (the npm `webgpu` package, @gated/backend-webgpu's
#   tests in Node) opens to reach a Vulkan driver, SwiftShader included.
# Idempotent; needs root (or sudo) on Debian.
set -euo pipefail
missing=()
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 ' && ! dpkg -s libvulkan1 >/dev/null 2>&1; then
  missing+=(libvulkan1)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
