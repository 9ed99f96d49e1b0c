import { createReadStream, readFileSync } from 'node:fs';
import { readEvidence } from '../src/readers/evidence/evidence-readers.ts';
import { streamJson } from '../src/readers/evidence/stream-json.ts';
const text = readFileSync('/tmp/s10.sarif', 'utf8');
for (let k = 0; k < 2; k++) {
  let t = performance.now();
  await streamJson((async function* () { for (let i = 0; i < text.length; i += 262144) yield text.slice(i, i + 262144); })(), { paths: ['$.runs.*.results.*'], onValue() {} });
  console.log('scan', (performance.now() - t).toFixed(0));
  t = performance.now();
  await readEvidence('findings', () => createReadStream('/tmp/s10.sarif'));
  console.log('readEvidence', (performance.now() - t).toFixed(0));
  t = performance.now(); JSON.parse(text); console.log('JSON.parse', (performance.now() - t).toFixed(0));
}
