// Loaded with --import into a measured child: at exit it reports the process's own peak RSS
// (VmHWM) on stderr, so a bench can measure the real binary without changing its flags.
import { readFileSync, writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

// A worker thread inherits the --import (docs/adr/0045): only the main thread reports, at the
// process's end, so the numbers are the whole process's, every thread's included.
process.on('exit', () => {
  if (!isMainThread) return;
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? '0';
  writeSync(2, `\ncandor-bench-peak-rss-kb=${kb}\n`);
  // CPU seconds (user + system): on a shared machine, wall time counts the other processes too.
  const cpu = process.cpuUsage();
  writeSync(2, `candor-bench-cpu-ms=${Math.round((cpu.user + cpu.system) / 1_000)}\n`);
});
