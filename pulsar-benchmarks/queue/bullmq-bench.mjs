// Benchmark 11's BullMQ reference: N tiny add(x, y) tasks, submit -> result, on the redis-server
// at 127.0.0.1:PORT. WORKERS child processes each run a BullMQ Worker with concurrency 100; the
// producer awaits every result through QueueEvents. Prints one line:
//   bullmq workers=W tasks=N seconds=S tasks_per_s=R redis_cpu_us_per_task=C
// Usage: node bullmq-bench.mjs PORT N WORKERS
import { Queue, Worker, QueueEvents } from 'bullmq';
import { fork } from 'node:child_process';
import IORedis from 'ioredis';

const [port, n, workers] = [Number(process.argv[2]), Number(process.argv[3] ?? 10000), Number(process.argv[4] ?? 1)];
const connection = { host: '127.0.0.1', port };
const name = 'bench';

if (process.argv[5] === 'worker') {
  const w = new Worker(name, async (job) => job.data.x + job.data.y, { connection, concurrency: 100 });
  await w.waitUntilReady();
  process.send('ready');
  process.on('message', async () => { await w.close(); process.exit(0); });
} else {
  const redis = new IORedis(connection);
  await redis.flushdb();
  const cpu = async () => {
    const info = await redis.info('cpu');
    const get = (k) => Number(info.match(new RegExp(k + ':([0-9.]+)'))[1]);
    return get('used_cpu_sys') + get('used_cpu_user');
  };
  const children = [];
  for (let i = 0; i < workers; i++) {
    const c = fork(new URL(import.meta.url).pathname, [String(port), String(n), String(workers), 'worker']);
    await new Promise((resolve) => c.once('message', resolve));
    children.push(c);
  }
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await events.waitUntilReady();
  const run = async (count) => {
    const jobs = await Promise.all(Array.from({ length: count }, (_, i) => queue.add('add', { x: i, y: 1 })));
    const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 120000)));
    results.forEach((r, i) => { if (r !== i + 1) throw new Error(`task ${i}: ${r}`); });
  };
  await run(Math.min(n, 2000)); // warm-up
  const cpu0 = await cpu();
  const t0 = process.hrtime.bigint();
  await run(n);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = await cpu();
  console.log(`bullmq workers=${workers} tasks=${n} seconds=${seconds.toFixed(3)} tasks_per_s=${Math.round(n / seconds)} `
    + `redis_cpu_us_per_task=${((cpu1 - cpu0) * 1e6 / n).toFixed(1)}`);
  for (const c of children) { c.send('close'); }
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
  await events.close();
  await queue.close();
  await redis.quit();
}
