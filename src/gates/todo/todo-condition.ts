import { posix } from 'node:path';
import { z } from 'zod';
import { defineGateCondition, type AddedLine, type GateLocation } from '../gate-condition.ts';

/** `- todo: { words: [TODO, FIXME], paths: "src/**", max: 0 }`. */
export const TodoOptions = z.strictObject({
  /** The words looked for, whole words, case-sensitive. */
  words: z.array(z.string().trim().min(1).max(100)).min(1).max(50).default(['TODO', 'FIXME']),
  /** Only files matching these globs (default: every file). */
  paths: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** How many added lines may hold a word (default 0). */
  max: z.int().min(0).default(0),
});
export type TodoOptions = z.output<typeof TodoOptions>;

/** The added lines of the files the options look at, by file. */
export type TodoEvidence = { base: string; files: ReadonlyMap<string, readonly AddedLine[]> };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A whole word of `words`: not inside a longer identifier (`TODOS`, `MY_TODO`). */
function wordPattern(words: readonly string[]): RegExp {
  return new RegExp(
    `(?<![\\p{L}\\p{N}_])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`,
    'u',
  );
}

/** `todo`: no TODO/FIXME (configurable words) in the lines added since the merge-base. */
export const todoCondition = defineGateCondition<TodoOptions, TodoEvidence>({
  id: 'todo',
  description: 'no TODO or FIXME (configurable words) in lines added since the merge-base',
  options: TodoOptions,
  label: (options) => `todo ${options.words.join('/')}`,
  async gather(options, context) {
    const changes = await context.changes();
    if (changes.kind === 'unavailable')
      return {
        kind: 'missing',
        expected: `the lines added since the merge-base (${changes.reason})`,
        files: [],
      };
    const globs = options.paths === undefined ? undefined : [options.paths].flat();
    const files = new Map(
      [...changes.files].filter(
        ([file]) => globs === undefined || globs.some((glob) => posix.matchesGlob(file, glob)),
      ),
    );
    return { kind: 'found', value: { base: changes.base, files }, files: [] };
  },
  evaluate(evidence, options) {
    const pattern = wordPattern(options.words);
    const locations: GateLocation[] = [];
    let count = 0;
    let lines = 0;
    for (const [file, added] of evidence.files) {
      for (const { line, text } of added) {
        lines++;
        const match = pattern.exec(text);
        if (match === null) continue;
        count++;
        if (locations.length < 200)
          locations.push({
            file,
            line,
            message: `${match[0]} added: ${text.trim().slice(0, 200)}`,
          });
      }
    }
    const words = options.words.join('/');
    return {
      result: count > options.max ? 'fail' : 'pass',
      value: count,
      threshold: options.max,
      message:
        count === 0
          ? `no ${words} in ${lines} added line${lines === 1 ? '' : 's'} since ${evidence.base}`
          : `${count} added line${count === 1 ? '' : 's'} with ${words} since ${evidence.base} (at most ${options.max})`,
      locations,
    };
  },
});
