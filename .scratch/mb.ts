const one = JSON.stringify({ type: 'library', name: `pkg-1`, version: '1.0.0', licenses: [{ license: { id: 'MIT' } }] });
const big = (one + ',').repeat(80000);
let t = performance.now(); let s = 0;
for (let i = 0; i < 80000; i++) { const piece = big.slice(i * (one.length + 1), i * (one.length + 1) + one.length); s += (JSON.parse([piece].join('')) as { name: string }).name.length; }
console.log('parse sliced', performance.now() - t);
t = performance.now();
for (let i = 0; i < 80000; i++) { s += (JSON.parse(one) as { name: string }).name.length; }
console.log('parse same', performance.now() - t);
