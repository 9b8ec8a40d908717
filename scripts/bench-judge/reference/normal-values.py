"""Reference values for pipelines/test/judge/normal.test.ts (copied into the test by hand).

Run with Debian's SciPy:  /usr/bin/python3 scripts/bench-judge/reference/normal-values.py
"""
from scipy.stats import norm

for z in [-8, -3, -1.5, 0.5, 1.96, 3.5]:
    print("cdf", z, repr(norm.cdf(z)))
for z in [2.5, 6, 10]:
    print("sf", z, repr(norm.sf(z)))
for p in [1e-10, 0.001, 0.01, 0.975, 0.995]:
    print("ppf", p, repr(norm.ppf(p)))
