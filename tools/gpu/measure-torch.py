#!/usr/bin/env python3
"""Times PyTorch's LSTM and GRU (cuDNN on a CUDA device) on DESIGN.md's shapes S2 and S3, f32.

Two times per shape and cell, medians over --reps runs after warm-up:
  device      x already on the GPU, output left there (cuDNN's own speed)
  end_to_end  x from host memory, output copied back (what a gated forward measures: it takes
              a Float32Array and returns one)
TF32 is off unless --tf32: gated computes in f32.

  python3 tools/gpu/measure-torch.py [--shapes S2,S3] [--cells lstm,gru] [--reps 20] [--json out.json]
"""
import argparse
import json
import statistics
import time

import torch

SHAPES = {
    "S2": dict(B=32, T=100, I=128, H=256),
    "S3": dict(B=64, T=50, I=512, H=512),
}


def timed(run, device, reps):
    for _ in range(3):
        run()
    times = []
    for _ in range(reps):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        started = time.perf_counter()
        run()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shapes", default="S2,S3")
    parser.add_argument("--cells", default="lstm,gru")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--tf32", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()

    device = torch.device(args.device)
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"torch {torch.__version__} on {name}, cuDNN {torch.backends.cudnn.version()}, TF32 {args.tf32}")
    rows = []
    for shape_name in args.shapes.split(","):
        s = SHAPES[shape_name]
        for cell in args.cells.split(","):
            torch.manual_seed(1)
            module = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(s["I"], s["H"])
            module = module.to(device).eval()
            host_x = torch.rand(s["T"], s["B"], s["I"]) * 2 - 1
            device_x = host_x.to(device)
            with torch.inference_mode():
                on_device = timed(lambda: module(device_x), device, args.reps)
                end_to_end = timed(lambda: module(host_x.to(device))[0].cpu(), device, args.reps)
            row = dict(shape=shape_name, cell=cell, device_ms=round(on_device, 4), end_to_end_ms=round(end_to_end, 4))
            rows.append(row)
            print(f"{shape_name} {cell:4} device {on_device:9.3f} ms  end-to-end {end_to_end:9.3f} ms")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(device=name, torch=torch.__version__, tf32=args.tf32, rows=rows), f, indent=2)


if __name__ == "__main__":
    main()
