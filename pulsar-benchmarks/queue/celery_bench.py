"""Benchmark 11's Celery reference: N tiny add(x, y) tasks, submit -> result, redis broker and
result backend on the redis-server at 127.0.0.1:$BENCH_REDIS_PORT, a prefork worker started by
run.sh (`python3 -m celery -A celery_bench worker -P prefork -c 2`). Prints one line:
  celery workers=W tasks=N seconds=S tasks_per_s=R redis_cpu_us_per_task=C
Usage: BENCH_REDIS_PORT=P python3 celery_bench.py N WORKERS   (Debian's python3-celery)
"""
import os
import sys
import time

import redis
from celery import Celery

URL = "redis://127.0.0.1:%s/0" % os.environ.get("BENCH_REDIS_PORT", "6379")
app = Celery("celery_bench", broker=URL, backend=URL)
app.conf.update(worker_prefetch_multiplier=16, task_acks_late=True, result_expires=600,
                broker_connection_retry_on_startup=True)


@app.task
def add(x, y):
    return x + y


def redis_cpu(r):
    info = r.info("cpu")
    return info["used_cpu_sys"] + info["used_cpu_user"]


def run(count):
    results = [add.delay(i, 1) for i in range(count)]
    for i, res in enumerate(results):
        value = res.get(timeout=120)
        if value != i + 1:
            raise SystemExit("task %d: %r" % (i, value))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    r = redis.Redis(host="127.0.0.1", port=int(os.environ.get("BENCH_REDIS_PORT", "6379")))
    run(min(n, 500))  # warm-up
    cpu0 = redis_cpu(r)
    t0 = time.perf_counter()
    run(n)
    seconds = time.perf_counter() - t0
    cpu1 = redis_cpu(r)
    print("celery workers=%d tasks=%d seconds=%.3f tasks_per_s=%d redis_cpu_us_per_task=%.1f"
          % (workers, n, seconds, round(n / seconds), (cpu1 - cpu0) * 1e6 / n))
