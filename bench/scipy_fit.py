"""Reference Chinchilla Approach 3 fit with scipy (Besiroglu et al. 2024 protocol).

Reads the Chinchilla SVG-extracted data, drops the K highest-loss points, and runs
scipy.optimize.minimize(method='L-BFGS-B') from every point of the 4,500-start grid
alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25},
minimising the SUM over points of scipy.special.huber(1e-3, log Lhat - log L) with
log Lhat = logsumexp(a - alpha log N, b - beta log D, e). The gradient is given analytically
(jac=True) unless --no-jac is passed (then scipy uses finite differences, much slower).
Prints one JSON line: seconds, objective, params, starts.
Usage: /usr/bin/python3 bench/scipy_fit.py CSV [--drop 5] [--no-jac] [--starts N]
"""
import csv
import itertools
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import huber, logsumexp

DELTA = 1e-3


def load(path, drop):
    rows = list(csv.DictReader(open(path)))
    N = np.array([float(r['Model Size']) for r in rows])
    C = np.array([float(r['Training FLOP']) for r in rows])
    L = np.array([float(r['loss']) for r in rows])
    D = C / (6 * N)
    if drop > 0:
        keep = np.argsort(L, kind='stable')[:-drop]
        keep.sort()
        N, D, L = N[keep], D[keep], L[keep]
    return np.log(N), np.log(D), np.log(L)


def make_objective(lN, lD, lL):
    def f(theta):
        a, b, e, alpha, beta = theta
        t = np.stack([a - alpha * lN, b - beta * lD, np.full_like(lN, e)])
        lse = logsumexp(t, axis=0)
        r = lse - lL
        val = np.sum(huber(DELTA, r))
        # d huber / dr = r inside, delta*sign(r) outside
        g_r = np.clip(r, -DELTA, DELTA)
        w = np.exp(t - lse)  # softmax weights
        ga = np.sum(g_r * w[0])
        gb = np.sum(g_r * w[1])
        ge = np.sum(g_r * w[2])
        galpha = -np.sum(g_r * w[0] * lN)
        gbeta = -np.sum(g_r * w[1] * lD)
        return val, np.array([ga, gb, ge, galpha, gbeta])

    return f


def main():
    args = sys.argv[1:]
    path = args[0]
    drop = int(args[args.index('--drop') + 1]) if '--drop' in args else 5
    use_jac = '--no-jac' not in args
    lN, lD, lL = load(path, drop)
    fj = make_objective(lN, lD, lL)
    fun = fj if use_jac else (lambda th: fj(th)[0])
    grid = list(itertools.product(
        np.arange(0, 30, 5), np.arange(0, 30, 5), np.arange(-1, 1.5, 0.5),
        np.arange(0, 2.5, 0.5), np.arange(0, 2.5, 0.5)))
    if '--starts' in args:
        grid = grid[: int(args[args.index('--starts') + 1])]
    best = None
    t0 = time.perf_counter()
    for x0 in grid:
        res = minimize(fun, np.array(x0, dtype=float), method='L-BFGS-B', jac=use_jac)
        if best is None or res.fun < best.fun:
            best = res
    secs = time.perf_counter() - t0
    a, b, e, alpha, beta = best.x
    print(json.dumps({
        'seconds': secs, 'objective': float(best.fun), 'starts': len(grid), 'jac': use_jac,
        'n': int(lN.size),
        'params': {'E': float(np.exp(e)), 'A': float(np.exp(a)), 'B': float(np.exp(b)),
                   'alpha': float(alpha), 'beta': float(beta)},
    }))


if __name__ == '__main__':
    main()
