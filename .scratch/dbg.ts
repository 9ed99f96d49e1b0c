import { streamJson } from '../src/readers/evidence/stream-json.ts';
const text = JSON.stringify({ a: 1, components: [{ n: 1, l: [{ x: 'y' }] }, { n: 2 }, { n: 3 }] });
await streamJson((async function* () { yield text; })(), { paths: ['$.components.*'], onValue(v, p) { console.log(JSON.stringify(v), p); } });
