import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { glob, isDynamicPattern } from 'tinyglobby';
import { CandorError, isCandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { GateContext } from '../../gates/gate-condition.ts';

/** The part of a `GateContext` that reads the repository's files. */
export type FileContext = Pick<
  GateContext,
  'root' | 'findFiles' | 'readText' | 'readLines' | 'readLineBatches' | 'readBytes'
> & {
  /** The absolute path of a repository file; throws CandorError `usage` for one outside the root. */
  absoluteOf: (file: string) => string;
};

/** Repository-relative with `/`. */
const toRepoPath = (root: string, absolute: string) =>
  relative(root, absolute).split(sep).join('/');

/**
 * The files of the repository in `root`, as `candor gate` reads them: globs under the root (not
 * in node_modules), whole texts, lines, line batches and bytes. Used by the gate's context and
 * by a worker thread gathering a condition's evidence (docs/adr/0045), which needs nothing else.
 * Paths outside the root are refused (CandorError `usage`); read errors are CandorError `io`.
 */
export function createFileContext(root: string): FileContext {
  const absoluteOf = (file: string) => {
    const absolute = isAbsolute(file) ? file : resolve(root, file);
    const inside = relative(root, absolute);
    if (inside.startsWith('..') || isAbsolute(inside))
      throw new CandorError('usage', `${file}: evidence files must be inside ${root}`);
    return absolute;
  };
  return {
    root,
    absoluteOf,
    async findFiles(patterns) {
      const found = new Set<string>();
      for (const pattern of [patterns].flat()) {
        if (isDynamicPattern(pattern)) {
          for (const file of await glob(pattern, {
            cwd: root,
            absolute: true,
            onlyFiles: true,
            ignore: ['**/node_modules/**'],
            followSymbolicLinks: false,
          }))
            found.add(toRepoPath(root, file));
        } else {
          const absolute = absoluteOf(pattern);
          if ((await stat(absolute).catch(() => undefined))?.isFile())
            found.add(toRepoPath(root, absolute));
        }
      }
      return [...found].sort();
    },
    async readText(file) {
      try {
        const text = await readFile(absoluteOf(file), 'utf8');
        return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      }
    },
    async *readLines(file) {
      const input = createReadStream(absoluteOf(file), { encoding: 'utf8' });
      let first = true;
      try {
        for await (const line of createInterface({ input, crlfDelay: Infinity })) {
          yield first && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
          first = false;
        }
      } catch (error) {
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      } finally {
        input.destroy();
      }
    },
    async *readLineBatches(file) {
      const input = createReadStream(absoluteOf(file), {
        encoding: 'utf8',
        highWaterMark: 1 << 20,
      });
      let rest = '';
      let first = true;
      try {
        for await (const chunk of input as AsyncIterable<string>) {
          const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
          first = false;
          const lines = (rest + text).split('\n');
          rest = lines.pop() ?? '';
          yield text.includes('\r')
            ? lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
            : lines;
        }
      } catch (error) {
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      } finally {
        input.destroy();
      }
      if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
    },
    async *readBytes(file) {
      // One buffer, refilled: a fresh 1 MiB buffer per chunk (a read stream's way) is memory
      // outside the heap, whose every 64 MB or so makes V8 mark the whole heap (docs/adr/0045).
      let handle: FileHandle | undefined;
      try {
        handle = await open(absoluteOf(file), 'r');
        const buffer = Buffer.allocUnsafe(1 << 20);
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) break;
          yield buffer.subarray(0, bytesRead);
        }
      } catch (error) {
        if (isCandorError(error)) throw error;
        throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
      } finally {
        await handle?.close();
      }
    },
  };
}
