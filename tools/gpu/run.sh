#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, its driver and PyTorch, but no Node: measures S2 and S3 for
# gated's WebGPU backend (Node and Dawn from this kit, on the driver's Vulkan) and for PyTorch's
# cuDNN LSTM/GRU, and prints the ratio. Run from the kit that tools/gpu/prepare.sh built:
#   bash run.sh [--reps 20]
# Results go to ./out/ (webgpu.json, torch.json) and to stdout.
set -euo pipefail
kit=$(cd "$(dirname "$0")" && pwd)
reps=20
[ "${1:-}" = "--reps" ] && reps=$2
mkdir -p "$kit/out"

# Debian's node and libraries, unpacked once: libc apart, used only if the machine's is too old.
if [ ! -x "$kit/root/usr/bin/node" ]; then
  mkdir -p "$kit/root" "$kit/libc"
  for deb in "$kit"/debs/*.deb; do
    case $(basename "$deb") in
      libc6_*) dest=$kit/libc ;;
      *) dest=$kit/root ;;
    esac
    if command -v dpkg-deb >/dev/null 2>&1; then dpkg-deb -x "$deb" "$dest"; else python3 "$kit/extract-debs.py" "$dest" "$deb"; fi
  done
  # Debian's node loads a few builtins (acorn, undici, cjs-module-lexer) from the absolute path
  # /usr/share/nodejs/: pointed, same length, at a link to the unpacked copy instead.
  python3 - "$kit"/root/usr/lib/x86_64-linux-gnu/libnode.so.* <<'PATCH'
import sys
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    open(path, "wb").write(data.replace(b"/usr/share/nodejs/", b"/tmp/gated-nodejs/"))
PATCH
fi
ln -sfn "$kit/root/usr/share/nodejs" /tmp/gated-nodejs
libs="$kit/root/usr/lib/x86_64-linux-gnu:$kit/root/lib/x86_64-linux-gnu"
node=("$kit/root/usr/bin/node")
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if ! "${node[@]}" -e 0 2>/dev/null; then
  loader=$(ls "$kit"/libc/lib64/ld-linux-x86-64.so.2 "$kit"/libc/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 2>/dev/null | head -1)
  node=("$loader" --library-path "$kit/libc/lib/x86_64-linux-gnu:$kit/libc/usr/lib/x86_64-linux-gnu:$libs" "$kit/root/usr/bin/node")
  "${node[@]}" -e 0 || { echo "run: Debian's node does not start here, not even with its own libc" >&2; exit 1; }
fi
echo "node $("${node[@]}" -v)"

# The NVIDIA driver's Vulkan ICD; containers often ship the library without the ICD file.
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  icd=$(ls /usr/share/vulkan/icd.d/nvidia_icd*.json /etc/vulkan/icd.d/nvidia_icd*.json 2>/dev/null | head -1 || true)
  if [ -z "$icd" ]; then
    lib=$(ldconfig -p 2>/dev/null | awk '/libGLX_nvidia\.so\.0/ { print $NF; exit }')
    [ -n "$lib" ] || { echo "run: no NVIDIA Vulkan driver (libGLX_nvidia.so.0); in a container, set NVIDIA_DRIVER_CAPABILITIES=all" >&2; exit 1; }
    icd=$kit/out/nvidia_icd.json
    printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "1.3.0" } }\n' "$lib" >"$icd"
  fi
  export VK_ICD_FILENAMES=$icd
fi
echo "Vulkan driver: $VK_ICD_FILENAMES"

# PyTorch's GRU is resetAfter (cuDNN's); gated's runs the same.
(cd "$kit" && "${node[@]}" measure-webgpu.mjs --shapes S2,S3 --paths auto,persistent,per-step \
  --gru-reset-after true --reps "$reps" --json out/webgpu.json)
python3 "$kit/measure-torch.py" --shapes S2,S3 --reps "$reps" --json "$kit/out/torch.json"
python3 "$kit/compare.py" "$kit/out/webgpu.json" "$kit/out/torch.json"
