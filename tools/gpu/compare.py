#!/usr/bin/env python3
"""Prints gated's WebGPU times next to PyTorch's (cuDNN) for each shape and cell, with the ratio
webgpu / torch (above 1: gated is slower). Reads the JSON files of measure-webgpu.mjs and
measure-torch.py.

  python3 tools/gpu/compare.py webgpu.json torch.json
"""
import json
import sys


def main():
    webgpu = json.load(open(sys.argv[1]))
    torch = json.load(open(sys.argv[2]))
    print(f"gated webgpu on: {webgpu['adapter']}")
    print(f"torch {torch['torch']} on: {torch['device']} (TF32 {torch['tf32']})")
    print()
    header = f"{'shape':5} {'cell':4} {'path':10} {'webgpu ms':>10} {'dispatches':>10} {'torch e2e':>10} {'ratio':>7} {'torch dev':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for t in torch["rows"]:
        for w in webgpu["rows"]:
            if w["shape"] != t["shape"] or w["cell"] != t["cell"]:
                continue
            e2e = w["ms"] / t["end_to_end_ms"]
            dev = w["ms"] / t["device_ms"]
            print(
                f"{w['shape']:5} {w['cell']:4} {w['path']:10} {w['ms']:10.3f} {w['dispatches']:10d} "
                f"{t['end_to_end_ms']:10.3f} {e2e:7.2f} {t['device_ms']:10.3f} {dev:7.2f}"
            )
    print()
    print("ratio = webgpu ms / torch ms: above 1 gated is slower. 'torch e2e' copies x in and the output")
    print("out as a gated forward does; 'torch dev' keeps both on the GPU.")


if __name__ == "__main__":
    main()
