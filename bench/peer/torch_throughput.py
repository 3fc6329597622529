#!/usr/bin/python3
"""PyTorch peer of EdgeLearn's training-throughput benchmark (bench/EdgeLearn.Benchmarks/Learning).

Measures training samples per second (forward + backward + SGD update) of the same two models the managed
engine benchmarks, at the same batch sizes and thread counts:

  MLP   784-128-10 (ReLU), 101,770 parameters
  LeNet conv(1->6, 5x5, same) ReLU maxpool2 -> conv(6->16, 5x5, valid) ReLU maxpool2 -> 400-120 ReLU -> 120-10,
        51,902 parameters

Each thread count runs in a fresh child process so OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS
are set before torch loads; torch.set_num_threads(n) pins the intra-op pool too.

Usage (Debian's torch 1.13 needs Debian's python, not the pyenv default):
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peer/torch_throughput.py [--json FILE]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

BATCHES = [8, 32, 64, 256]
THREADS = [1, 2]
MODELS = ["mlp", "cnn"]


def build(name):
    import torch.nn as nn
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 10))


def measure(model_name, batch, seconds, repeats):
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    model = build(model_name)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    shape = (batch, 784) if model_name == "mlp" else (batch, 1, 28, 28)
    x = torch.rand(shape)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    # Warm-up and calibration: steps per timed repeat so that a repeat lasts about `seconds`.
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < 0.5:
        step()
        n += 1
    per_step = (time.perf_counter() - t0) / n
    steps = max(5, int(seconds / per_step))
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps * batch / (time.perf_counter() - t0))
    return params, statistics.median(rates), rates


def child(threads, seconds, repeats):
    import torch
    torch.set_num_threads(threads)
    blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line and ".so" in line})
    rows = []
    for model_name in MODELS:
        for batch in BATCHES:
            params, median, rates = measure(model_name, batch, seconds, repeats)
            rows.append({"model": model_name, "batch": batch, "threads": threads, "parameters": params,
                         "samples_per_s": median, "repeats": rates})
    info = {"torch": torch.__version__, "num_threads": torch.get_num_threads(), "blas_libraries": blas,
            "mkldnn": torch.backends.mkldnn.is_available(),
            "env": {k: os.environ.get(k) for k in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                                   "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]}}
    print(json.dumps({"info": info, "rows": rows}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one timed repeat (s)")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats; the median is reported")
    parser.add_argument("--json", help="also write all results to this file")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seconds, args.repeats)
        return

    results = []
    for threads in THREADS:
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
                   MKL_NUM_THREADS=str(threads))
        out = subprocess.run([sys.executable, __file__, "--child", str(threads), "--seconds", str(args.seconds),
                              "--repeats", str(args.repeats)], env=env, check=True, capture_output=True, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in results:
        print("#", json.dumps(r["info"]))
    print("| model | batch | threads | samples/s (median) |")
    print("|---|---:|---:|---:|")
    for r in results:
        for row in r["rows"]:
            print(f"| {row['model']} | {row['batch']} | {row['threads']} | {row['samples_per_s']:,.0f} |")
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1)
        os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
