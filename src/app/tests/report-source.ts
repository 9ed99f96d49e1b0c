import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { messageOf } from '../../core/lib/message-of.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import type { OpenBytes } from '../../readers/test-results/decode-report.ts';

/** A report to ingest: re-openable (a transaction may be retried), with its content hash. */
export type ReportSource = {
  /** What the user called it: a path, or a name given to an HTTP body. */
  path: string;
  sizeBytes: number;
  contentSha256: string;
  /** The raw bytes from the start; readers get them decoded by `openReport` (readers/open-report.ts). */
  open: OpenBytes;
};

const chunkBytes = 256 * 1024;

/** Opens a file's bytes in 256 KiB chunks, from the start each time it is called. */
export function fileBytes(path: string): OpenBytes {
  return () => createReadStream(path, { highWaterMark: chunkBytes });
}

/** A report file, hashed in one streaming pass. Throws CandorError `io` when it cannot be read. */
export async function fileSource(path: string, displayPath = path): Promise<ReportSource> {
  try {
    const { size } = await stat(path);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
      hash.update(chunk as Buffer);
    }
    return {
      path: displayPath,
      sizeBytes: size,
      contentSha256: hash.digest('hex'),
      open: fileBytes(path),
    };
  } catch (error) {
    throw new CandorError('io', `cannot read ${displayPath}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/** A report held in memory (an HTTP request body). */
export function bufferSource(path: string, body: Buffer): ReportSource {
  return {
    path,
    sizeBytes: body.length,
    contentSha256: createHash('sha256').update(body).digest('hex'),
    async *open() {
      for (let i = 0; i < body.length; i += chunkBytes) yield body.subarray(i, i + chunkBytes);
    },
  };
}
