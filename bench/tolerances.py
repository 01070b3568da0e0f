#!/usr/bin/env python3
"""The spread between the C reference and NumPy/torch computing the same
functions, in float64 and float32: what the rubric's atol/rtol are chosen
from. Usage: tolerances.py HWGRADE"""
import json
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
import nbgen  # noqa: E402

HW = sys.argv[1]
ns = {}
exec(nbgen.NN_CODE.replace("from utils.gradient_check import eval_numerical_gradient\n", ""), ns)
exec(nbgen.OPT_CODE, ns)
exec(nbgen.PYTORCH_BASIC, ns)


def ref(name, *args):
    out = subprocess.run([HW, "reference", "--json", name, *args], check=True, capture_output=True, text=True).stdout
    vals = json.loads(out)
    return [np.array(v["data"], dtype=float).reshape(v["shape"]) for v in vals.values()]


def spread(got, want):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    d = np.abs(got - want)
    return d.max(), (d / np.maximum(np.abs(want), 1e-300)).max()


rows = []
for seed in range(5):
    # The same inputs on both sides: the reference's RandomState is NumPy's, bit for bit.
    X = np.random.RandomState(seed).randn(6, 9)
    want = ref("nn.affine_forward", "randn(seed=%d, shape=[6, 9])" % seed, "randn(seed=%d, shape=[9, 4])" % (seed + 100),
               "randn(seed=%d, shape=[4])" % (seed + 200))[0]
    W = np.random.RandomState(seed + 100).randn(9, 4)
    B = np.random.RandomState(seed + 200).randn(4)
    for dt in (np.float64, np.float32):
        rows.append(("nn.affine_forward", dt.__name__, *spread(ns["affine_forward"](X.astype(dt), W.astype(dt), B.astype(dt))[0], want)))
    want = ref("nn.sigmoid_forward", "randn(seed=%d, shape=[6, 9])" % seed)[0]
    for dt in (np.float64, np.float32):
        rows.append(("nn.sigmoid_forward", dt.__name__, *spread(ns["sigmoid_forward"](X.astype(dt))[0], want)))
    want = ref("nn.mse_loss", "randn(seed=%d, shape=[6, 9]).reshape(54)" % seed,
               "randn(seed=%d, shape=[54])" % (seed + 300))
    y54 = np.random.RandomState(seed + 300).randn(54)
    for dt in (np.float64, np.float32):
        loss, _ = ns["mse_loss"](X.reshape(54).astype(dt), y54.astype(dt))
        rows.append(("nn.mse_loss", dt.__name__, *spread([loss], want[0].reshape(1))))
    want = ref("basics.normalize_columns", "randn(seed=%d, shape=[6, 9])" % seed)[0]
    for dt in (torch.float64, torch.float32):
        rows.append(("basics.normalize_columns", str(dt).split(".")[1], *spread(ns["normalize_columns"](torch.tensor(X, dtype=dt)).numpy(), want)))
    p = np.random.RandomState(seed).uniform(-2, 2, 2)
    want = ref("optim.ackley_2d_torch", json.dumps(p.tolist()))[0]
    for dt in (torch.float64, torch.float32):
        rows.append(("optim.ackley_2d_torch", str(dt).split(".")[1], *spread([float(ns["ackley_2d_torch"](torch.tensor(p, dtype=dt)))], want.reshape(1))))
    g = np.random.RandomState(seed + 1).randn(2)
    want = ref("optim.adam_update", json.dumps(p.tolist()), json.dumps(g.tolist()), "0.001", "3")[0]
    for dt in (torch.float64, torch.float32):
        P, G, st = torch.tensor(p, dtype=dt), torch.tensor(g, dtype=dt), {}
        for _ in range(3):
            P, st = ns["adam_update"](P, G, st, {})
        rows.append(("optim.adam_update x3", str(dt).split(".")[1], *spread(P.numpy(), want)))

print("%-24s %-8s %12s %12s" % ("function", "dtype", "max abs", "max rel"))
agg = {}
for name, dt, a, r in rows:
    k = (name, dt)
    agg[k] = (max(agg.get(k, (0, 0))[0], a), max(agg.get(k, (0, 0))[1], r))
for (name, dt), (a, r) in agg.items():
    print("%-24s %-8s %12.3g %12.3g" % (name, dt, a, r))
