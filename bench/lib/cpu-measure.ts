// Interleaved min-of-rounds timing in CPU time (process.cpuUsage), for a shared machine: time the
// process spends descheduled by other jobs is not counted. Used by bench/suite/exact-floor.ts.
export function measure(tasks: Record<string, () => number>, opsPerCall: number, rounds = 20, ms = 20): Record<string, number> {
  const names = Object.keys(tasks);
  const best: Record<string, number> = {};
  let sink = 0;
  for (const n of names) for (let i = 0; i < 50; i++) sink += tasks[n]!();
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const fn = tasks[n]!;
      let calls = 0;
      const t0 = cpu();
      let t1 = t0;
      while (t1 - t0 < ms) { for (let j = 0; j < 8; j++) sink += fn(); calls += 8; t1 = cpu(); }
      const ns = ((t1 - t0) * 1e6) / (calls * opsPerCall);
      if (!(ns >= best[n]!)) best[n] = ns;
    }
  }
  if (sink === 0.5) console.log('');
  return best;
}
export function report(best: Record<string, number>, base: string): string {
  const f = best[base]!;
  return Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(0)}ns ${(v / f).toFixed(2)}x`).join(' | ');
}
