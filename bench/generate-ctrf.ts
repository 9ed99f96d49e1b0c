import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Writes a CTRF report of `tests` small tests, the shape of the field report's 60 MB case
 * (`{"name":"t<i>","status":"passed","duration":1}`), with one failure in 50 carrying a message.
 * Returns its size in bytes.
 */
export async function writeCtrf(path: string, tests: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    '{"reportFormat":"CTRF","specVersion":"0.0.0","results":{"tool":{"name":"bench"},"tests":[',
  );
  for (let i = 0; i < tests; i += 10_000) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(tests, i + 10_000); j++) {
      parts.push(
        j % 50 === 1
          ? `{"name":"t${j}","status":"failed","duration":1,"message":"expected ${j}"}`
          : `{"name":"t${j}","status":"passed","duration":1}`,
      );
    }
    await write((i > 0 ? ',' : '') + parts.join(','));
  }
  await write(']}}');
  out.end();
  await once(out, 'finish');
  return bytes;
}
