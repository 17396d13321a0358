"""Takes matrix sizes from the queue and solves a random system on the GPU."""
import os
import time

import cupy as cp
import redis

queue = redis.Redis.from_url(os.environ["QUEUE_URL"])
while True:
    job = queue.blpop("jobs", timeout=5)
    if not job:
        continue
    n = int(job[1])
    t0 = time.time()
    a = cp.random.rand(n, n)
    b = cp.random.rand(n)
    x = cp.linalg.solve(a, b)
    with open(f"/results/solve-{n}-{int(t0)}.txt", "w") as f:
        f.write(f"n={n} residual={float(cp.linalg.norm(a @ x - b)):.3e} seconds={time.time() - t0:.3f}\n")
