# Reference for bench/logs.mjs: time pandas reading the same file, and its peak RSS.
import resource, sys, time
import pandas as pd

path, kind = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if kind == 'csv':
    df = pd.read_csv(path)
    rows = len(df)
else:
    # read_json(lines=True) in one go needs many times the file size in memory; chunks keep it sane.
    rows = 0
    for chunk in pd.read_json(path, lines=True, chunksize=200_000):
        rows += len(chunk)
dt = time.perf_counter() - t
print(f'{{"ms": {dt * 1000:.1f}, "rows": {rows}, "maxRSSkB": {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}}')
