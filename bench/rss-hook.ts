// Preloaded into the measured env-audit CLI (`node --import <this> bin/env-audit.js ...`): at exit,
// the main thread writes the process's peak RSS (KiB; worker threads included, they share the
// process) to $ENV_AUDIT_BENCH_RSS_FILE, with the user+system CPU time of all its threads. Worker threads load it too (they inherit execArgv) but
// do nothing: they are not the main thread, and the scan pool gives them an empty environment.
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.ENV_AUDIT_BENCH_RSS_FILE;
if (isMainThread && out) {
  process.on('exit', () => {
    try {
      const ru = process.resourceUsage();
      fs.writeFileSync(out, JSON.stringify({ maxRssKb: ru.maxRSS, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000 }));
    } catch {
      // the bench reports the figure as missing
    }
  });
}
