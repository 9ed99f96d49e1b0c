import { readFileSync } from 'node:fs';
import { streamJson } from '../src/readers/evidence/stream-json.ts';
const text = readFileSync('/tmp/sbom.json', 'utf8');
for (let k = 0; k < 3; k++) {
let t = performance.now();
let n = 0;
await streamJson((async function* () { for (let i = 0; i < text.length; i += 65536) yield text.slice(i, i + 65536); })(), { paths: ['$.components.*'], onValue() { n++; } });
console.log('streamJson only', performance.now() - t, n);
t = performance.now(); JSON.parse(text); console.log('JSON.parse', performance.now() - t);
}
