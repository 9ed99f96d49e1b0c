import { readFileSync } from 'node:fs';
import { streamJson } from '../src/readers/evidence/stream-json.ts';
const text = readFileSync('/tmp/s10.sarif', 'utf8');
const chunks = () => (async function* () { for (let i = 0; i < text.length; i += 262144) yield text.slice(i, i + 262144); })();
for (let k = 0; k < 4; k++) {
  let t = performance.now(); let n = 0;
  await streamJson(chunks(), { paths: ['$.runs.*.results.*'], onValue() { n++; } });
  const fast = performance.now() - t;
  t = performance.now();
  await streamJson(chunks(), { paths: [], onValue() {} });
  const full = performance.now() - t;
  t = performance.now(); JSON.parse(text); const jp = performance.now() - t;
  console.log(`selected(fast) ${fast.toFixed(0)} full-validate ${full.toFixed(0)} JSON.parse ${jp.toFixed(0)} n=${n}`);
}
