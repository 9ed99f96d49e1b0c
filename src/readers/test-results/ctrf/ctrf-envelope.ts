import { TokenType } from '@streamparser/json';
import { z } from 'zod';
import { formatIssuePath } from '../../../core/lib/format-issue-path.ts';
import type { Problem } from '../../../core/lib/problem.ts';

/**
 * A CTRF document without its tests: the current spec (`reportFormat: "CTRF"`, `specVersion`)
 * and the older shape with only `results`. Unknown properties are ignored rather than rejected:
 * a consumer that refuses a report because a producer added a field would hide test results.
 * Each entry of `results.tests` is checked on its own as it streams (`CtrfTest`).
 */
export const CtrfReportEnvelope = z.object({
  reportFormat: z.literal('CTRF').optional(),
  specVersion: z.string().optional(),
  results: z.object({
    tool: z.object({ name: z.string() }),
    summary: z.object({}).loose().optional(),
    tests: z.array(z.unknown()),
  }),
});
export type CtrfReportEnvelope = z.infer<typeof CtrfReportEnvelope>;

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
type Primitive = string | number | boolean | null;

/** The paths whose values the envelope schema checks; the containers among them are entered. */
const checkedPaths = new Set([
  '',
  'reportFormat',
  'specVersion',
  'results',
  'results.tool',
  'results.tool.name',
  'results.summary',
  'results.summary.start',
  'results.tests',
]);
const enteredPaths = new Set(['', 'results', 'results.tool', 'results.summary']);
/** Paths that must appear once: two `tests` arrays would count their tests twice. */
const uniquePaths = new Set(['results', 'results.tests']);

type Frame = {
  kind: 'object' | 'array';
  path: string;
  key: string | undefined;
  expectsKey: boolean;
};

/**
 * Follows the tokens of a CTRF document to check everything outside `results.tests` with the
 * schema, keeping only the kinds and primitive values at the few paths it checks: the streaming
 * parser drops every other value as soon as it is complete (unknown fields included), so memory
 * does not grow with the document. Never throws.
 */
export class CtrfEnvelope {
  readonly #kinds = new Map<string, Kind>();
  readonly #values = new Map<string, Primitive>();
  readonly #repeated = new Set<string>();
  readonly #frames: Frame[] = [];
  /** Depth inside a container whose content is not checked here (tests, unknown fields). */
  #skipped = 0;

  /** True once the document has a first value. */
  get hasStarted(): boolean {
    return this.#kinds.has('');
  }

  /** True once the root value is complete: anything but whitespace after it is an error. */
  get isComplete(): boolean {
    return this.hasStarted && this.#frames.length === 0 && this.#skipped === 0;
  }

  /** True when what was seen already rules the document out: no point reading on. */
  cannotBeCtrf(): boolean {
    const root = this.#kinds.get('');
    const results = this.#kinds.get('results');
    return (
      (root !== undefined && root !== 'object') || (results !== undefined && results !== 'object')
    );
  }

  onToken(token: TokenType, value: unknown): void {
    if (this.#skipped > 0) {
      if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) this.#skipped++;
      else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET)
        this.#skipped--;
      return;
    }
    const top = this.#frames.at(-1);
    switch (token) {
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.#frames.pop();
        return;
      case TokenType.COMMA:
        if (top?.kind === 'object') top.expectsKey = true;
        return;
      case TokenType.COLON:
      case TokenType.SEPARATOR:
        return;
      case TokenType.STRING:
        if (top?.kind === 'object' && top.expectsKey) {
          top.key = value as string;
          top.expectsKey = false;
          return;
        }
        break;
      default:
        break;
    }
    // A value starts here.
    const path =
      top === undefined
        ? ''
        : top.kind === 'array'
          ? undefined
          : top.path === ''
            ? top.key
            : `${top.path}.${top.key}`;
    const kind = kindOf(token);
    if (path !== undefined && checkedPaths.has(path)) {
      if (this.#kinds.has(path) && uniquePaths.has(path)) this.#repeated.add(path);
      this.#kinds.set(path, kind);
      if (kind !== 'object' && kind !== 'array') this.#values.set(path, value as Primitive);
    }
    if (kind === 'object' || kind === 'array') {
      if (path !== undefined && enteredPaths.has(path)) {
        this.#frames.push({ kind, path, key: undefined, expectsKey: kind === 'object' });
      } else {
        this.#skipped = 1;
      }
    }
  }

  /** `results.summary.start` (milliseconds since the epoch) when it is a number. */
  summaryStart(): number | undefined {
    const value = this.#values.get('results.summary.start');
    return typeof value === 'number' ? value : undefined;
  }

  /** What the schema says about the envelope seen so far (call at the end of the document). */
  problems(): Problem[] {
    const problems = [...this.#repeated].map((path): Problem => ({
      message: `${path}: appears more than once (a report lists its tests once)`,
      path,
    }));
    const parsed = CtrfReportEnvelope.safeParse(this.#sample(''));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = formatIssuePath(issue.path);
        problems.push({ message: `${path || '(root)'}: ${issue.message}`, path });
      }
    }
    return problems;
  }

  /** A stand-in for the value at `path` with what the schema needs to judge it. */
  #sample(path: string): unknown {
    const kind = this.#kinds.get(path);
    if (kind === undefined) return undefined;
    if (kind === 'array') return [];
    if (kind !== 'object') return this.#values.get(path);
    const sample: Record<string, unknown> = {};
    for (const child of checkedPaths) {
      const prefix = path === '' ? '' : `${path}.`;
      const rest = child.slice(prefix.length);
      if (child === path || !child.startsWith(prefix) || rest.includes('.')) continue;
      const value = this.#sample(child);
      if (value !== undefined || this.#kinds.has(child)) sample[rest] = value;
    }
    return sample;
  }
}

function kindOf(token: TokenType): Kind {
  switch (token) {
    case TokenType.LEFT_BRACE:
      return 'object';
    case TokenType.LEFT_BRACKET:
      return 'array';
    case TokenType.STRING:
      return 'string';
    case TokenType.NUMBER:
      return 'number';
    case TokenType.TRUE:
    case TokenType.FALSE:
      return 'boolean';
    default:
      return 'null';
  }
}
