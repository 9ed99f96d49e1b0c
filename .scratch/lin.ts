import { streamJson } from '../src/readers/evidence/stream-json.ts';
for (const n of [5000, 20000, 80000]) {
  const text = JSON.stringify({ bomFormat: 'CycloneDX', components: Array.from({ length: n }, (_, i) => ({ type: 'library', name: `pkg-${i}`, version: '1.0.0', licenses: [{ license: { id: 'MIT' } }] })) });
  let t = performance.now(); let c = 0;
  await streamJson((async function* () { for (let i = 0; i < text.length; i += 65536) yield text.slice(i, i + 65536); })(), { paths: ['$.components.*'], onValue() { c++; } });
  const a = performance.now() - t;
  t = performance.now();
  await streamJson((async function* () { for (let i = 0; i < text.length; i += 65536) yield text.slice(i, i + 65536); })(), { paths: [], onValue() { c++; } });
  console.log(n, text.length, 'selected', a.toFixed(0), 'none', (performance.now() - t).toFixed(0));
}
