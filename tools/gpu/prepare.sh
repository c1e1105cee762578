#!/usr/bin/env bash
# Builds the kit that measures gated's WebGPU backend against PyTorch's cuDNN on a GPU machine
# without Node (see README.md). Run here, in the repo, on Debian with its archive reachable and
# the repo built (pnpm build). Writes tools/gpu/kit/ (or $1): Debian's nodejs and its libraries
# and the Vulkan loader as .deb files (apt-get download; no root needed), the built
# @gated/core and @gated/backend-webgpu, the npm `webgpu` package (Dawn, linux-x64 only) and the
# measuring scripts. Copy the folder to the GPU machine and run its run.sh there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
kit=${1:-$here/kit}

for built in "$repo/packages/core/dist/index.js" "$repo/packages/backend-webgpu/dist/index.js"; do
  [ -f "$built" ] || { echo "prepare: $built is missing: run pnpm build first" >&2; exit 1; }
done
webgpu=$(cd "$repo/packages/backend-webgpu" && node -e "console.log(require('path').dirname(require.resolve('webgpu/package.json')))")

rm -rf "$kit"
mkdir -p "$kit/debs" "$kit/node_modules/@gated"

# Debian's own nodejs (not a newer one installed from elsewhere), and everything it and the
# Vulkan loader need but libc, which the GPU machine has (run.sh falls back to this libc too).
node_version=$(apt-cache madison nodejs | awk -F'|' '$3 ~ /debian/ { gsub(/ /, "", $2); print $2; exit }')
[ -n "$node_version" ] || { echo "prepare: Debian's archive offers no nodejs" >&2; exit 1; }
packages=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "nodejs=$node_version" libvulkan1 | grep -E '^[a-z0-9]' | sort -u)
(cd "$kit/debs" && apt-get -o APT::Sandbox::User=root download "nodejs=$node_version" $(echo "$packages" | grep -vx nodejs) >/dev/null)

copy_package() { # source folder, destination folder, files and folders to take
  local from=$1 to=$2
  shift 2
  mkdir -p "$to"
  for part in "$@"; do cp -r "$from/$part" "$to/"; done
}
copy_package "$repo/packages/core" "$kit/node_modules/@gated/core" package.json dist
copy_package "$repo/packages/backend-webgpu" "$kit/node_modules/@gated/backend-webgpu" package.json dist
copy_package "$webgpu" "$kit/node_modules/webgpu" package.json index.js
mkdir -p "$kit/node_modules/webgpu/dist"
cp -r "$webgpu/dist/linux-x64" "$kit/node_modules/webgpu/dist/"
cp "$here/measure-webgpu.mjs" "$here/measure-torch.py" "$here/compare.py" "$here/extract-debs.py" "$here/run.sh" "$kit/"
echo "kit: $kit ($(du -sh "$kit" | cut -f1)): $(ls "$kit/debs" | wc -l) .deb files, node $node_version"
