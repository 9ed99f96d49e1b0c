import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { commands } from './cli/commands/commands.ts';
import { buildCliProgram } from './cli/main.ts';
import { CandorConfig } from './config/candor-config.ts';
import { ChaosExperiment } from './core/chaos/chaos-experiment.ts';
import { GameDayRecord } from './core/chaos/game-day-record.ts';
import { DeliveryEvent } from './core/delivery/delivery-event.ts';
import { QuarantineFile } from './core/quarantine/quarantine.ts';
import { WatchInput } from './core/watch/watch-input.ts';
import { SecretsCatalog } from './gates/secrets/secrets-condition.ts';

/**
 * Every fenced block of README.md and docs/**.md, and every file of docs/examples, is checked
 * here or says why not. Shell (`sh`, `bash`, `console` after `$ `) and CI YAML `run:`/`script:`
 * steps: each `candor …` invocation is parsed by the real commander program with its actions
 * replaced by nothing (an unknown command or flag fails, nothing runs), and all of it goes
 * through `bash -n` in one spawn. YAML: parsed, then checked by the real schema of what it is
 * (`candor.yml`, the quarantine file, a chaos experiment, a game-day record, the secrets
 * catalog) or read as CI steps. JSON: parsed, and checked by the schema of a delivery event or a
 * watch file when it is one. A block none of that fits fails the test unless an HTML comment in
 * the lines above it says `<!-- snippet: illustrative: why -->` (output samples, text).
 */

const root = join(import.meta.dirname, '..');

type Block = { file: string; line: number; lang: string; body: string; marker?: string };

/** The fenced blocks of a Markdown file, with the `snippet:` marker just above each, if any. */
function fencedBlocks(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] as string);
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !(lines[j] as string).trim().startsWith(fence); j++)
      body.push((lines[j] as string).slice(indent.length));
    const above = lines.slice(Math.max(0, i - 3), i).join('\n');
    const marker = /<!--\s*snippet:\s*([^>]*?)\s*-->/.exec(above)?.[1];
    blocks.push({
      file,
      line: i + 1,
      lang,
      body: body.join('\n'),
      ...(marker === undefined ? {} : { marker }),
    });
    i = j;
  }
  return blocks;
}

function filesUnder(dir: string, suffix: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix))
      found.push(relative(root, join(entry.parentPath, entry.name)));
  }
  return found.sort();
}

const markdownFiles = [
  'README.md',
  ...filesUnder('docs', '.md').filter((f) => !f.startsWith('docs/adr/')),
];
const blocks = markdownFiles.flatMap(fencedBlocks);

// ---------------------------------------------------------------------------------------------
// Shell: candor invocations, split into words the way bash would (variables stand in as `1`).

/** Joins continued lines and drops comments; keeps quoted `#`. */
function logicalLines(script: string): string[] {
  const joined = script.replace(/\\\n/g, ' ');
  return joined.split('\n').map(stripComment);
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i);
  }
  return line;
}

/** Skips a `$( … )` starting at `i` (at the `$`); returns the index after its `)`. */
function skipSubstitution(text: string, i: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let k = i + 1; k < text.length; k++) {
    const c = text[k];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k + 1;
  }
  return text.length;
}

/**
 * The words of the command starting at `start`, up to the first unquoted operator (`|`, `;`,
 * `&`, a redirection, an unbalanced `)`). `$VAR`, `${…}` and `$( … )` become `1`.
 */
function wordsFrom(text: string, start: number): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (c === '$') {
      word = (word ?? '') + '1';
      if (text[i + 1] === '(') i = skipSubstitution(text, i) - 1;
      else if (text[i + 1] === '{') i = text.indexOf('}', i);
      else while (/[\w#?@*]/.test(text[i + 1] ?? '')) i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\') word += text[++i] ?? '';
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
      continue;
    }
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if ('|;&<>)'.includes(c)) {
      // `2>` and the like: the digit belongs to the redirection.
      if (c === '>' && word !== undefined && /^\d$/.test(word)) word = undefined;
      break;
    }
    word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Every `candor …` (or `npx candor …`) invocation of a shell script, as argv after `candor`. */
function candorInvocations(script: string): string[][] {
  const found: string[][] = [];
  for (const line of logicalLines(script.replace(/\$\{\{[^}]*\}\}/g, '1'))) {
    const pattern = /(?:^|[\s|;&(`])(?:npx\s+)?candor(?=\s|$)/g;
    for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
      const end = match.index + match[0].length;
      found.push(wordsFrom(line, end));
    }
  }
  return found;
}

/** What commander says of `candor <argv>` with every action replaced by nothing. */
async function dryParse(argv: string[]): Promise<string | undefined> {
  let errors = '';
  const context = {
    cwd: root,
    env: {},
    stdout: { write: () => true },
    stderr: { write: (text: string) => (errors += text) },
    now: () => new Date('2026-12-01T00:00:00Z'),
  };
  const program = buildCliProgram(context, () => {}, commands);
  const silence = (command: Command): void => {
    const handler: unknown = Reflect.get(command, '_actionHandler');
    if (handler) command.action(() => {});
    command.commands.forEach(silence);
  };
  silence(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return undefined;
    return (errors || String(error)).split('\n')[0];
  }
}

/** Shell scripts of a block: the whole block, or the `$ ` lines of a console transcript. */
function shellOf(block: Block): string {
  if (block.lang !== 'console') return block.body;
  const commands: string[] = [];
  const lines = block.body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (!line.startsWith('$ ')) continue;
    line = line.slice(2);
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
    commands.push(line);
  }
  return commands.join('\n');
}

// ---------------------------------------------------------------------------------------------
// YAML and JSON: what a document is, by its shape.

type Checked = { kind: string; problems: string[]; scripts: string[] };

const zodProblems = (result: { success: boolean; error?: { issues: unknown[] } }): string[] =>
  result.success ? [] : (result.error?.issues ?? []).map((issue) => JSON.stringify(issue));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `run:` and `script:` strings of CI steps and jobs (GitHub Actions, GitLab CI), anywhere. */
function ciScripts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(ciScripts);
  if (!isRecord(value)) return [];
  const scripts: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'run' || key === 'script' || key === 'before_script') && typeof child === 'string')
      scripts.push(child);
    else if ((key === 'script' || key === 'before_script') && Array.isArray(child))
      scripts.push(...child.filter((line): line is string => typeof line === 'string'));
    else scripts.push(...ciScripts(child));
  }
  return scripts;
}

const configKeys = new Set(Object.keys(CandorConfig.shape));

function checkYaml(text: string): Checked | undefined {
  const documents = parseAllDocuments(text);
  const syntax = documents.flatMap((d) => d.errors.map((e) => e.message));
  if (syntax.length > 0) return { kind: 'YAML', problems: syntax, scripts: [] };
  const value: unknown = parse(text);
  const isSteps =
    Array.isArray(value) && value.every((s) => isRecord(s) && ('run' in s || 'uses' in s));
  // GitLab CI: jobs are top-level keys holding a `script` or a `trigger`.
  const isGitlab =
    isRecord(value) &&
    Object.values(value).some((job) => isRecord(job) && ('script' in job || 'trigger' in job));
  if (
    isSteps ||
    isGitlab ||
    (isRecord(value) && ('steps' in value || 'jobs' in value || 'stages' in value))
  )
    return { kind: 'CI YAML', problems: [], scripts: ciScripts(value) };
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const schema = (kind: string, result: Parameters<typeof zodProblems>[0]): Checked => ({
    kind,
    problems: zodProblems(result),
    scripts: [],
  });
  if ('tests' in value && Array.isArray(value['tests']))
    return schema('.candor/quarantine.yml', QuarantineFile.safeParse(value));
  if ('secrets' in value) return schema('secrets catalog', SecretsCatalog.safeParse(value));
  if ('experiment' in value && 'result' in value)
    return schema('game-day record', GameDayRecord.safeParse(value));
  if ('id' in value && 'blastRadius' in value)
    return schema('chaos experiment', ChaosExperiment.safeParse(value));
  if (keys.length > 0 && keys.every((key) => configKeys.has(key)))
    return schema('candor.yml', CandorConfig.safeParse(value));
  return undefined;
}

function checkJson(text: string): Checked {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'JSON', problems: [String(error)], scripts: [] };
  }
  if (isRecord(value) && 'type' in value && 'occurredAt' in value)
    return {
      kind: 'delivery event',
      problems: zodProblems(DeliveryEvent.safeParse(value)),
      scripts: [],
    };
  if (isRecord(value) && 'service' in value && 'metrics' in value)
    return { kind: 'watch file', problems: zodProblems(WatchInput.safeParse(value)), scripts: [] };
  return { kind: 'JSON', problems: [], scripts: [] };
}

/** How a block is checked: what it is, what is wrong with it, the shell it holds. */
function checkBlock(block: Block): Checked | undefined {
  switch (block.lang) {
    case 'sh':
    case 'bash':
    case 'shell':
    case 'console':
      return { kind: 'shell', problems: [], scripts: [shellOf(block)] };
    case 'yaml':
    case 'yml':
      return checkYaml(block.body);
    case 'json':
      return checkJson(block.body);
    default:
      return undefined;
  }
}

const where = (block: Block) => `${block.file}:${block.line} (${block.lang || 'no language'})`;

describe('the snippets of README.md and docs/', () => {
  const checked = blocks.map((block) => ({ block, result: checkBlock(block) }));

  it('finds the README blocks (the inventory is not empty by accident)', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThan(30);
  });

  it('checks every block, or the block says why it is illustrative', () => {
    const unchecked = checked
      .filter(
        ({ block, result }) => result === undefined && !block.marker?.startsWith('illustrative:'),
      )
      .map(({ block }) => `${where(block)}: add a check or <!-- snippet: illustrative: why -->`);
    expect(unchecked).toEqual([]);
  });

  it('marks nothing illustrative that a check already covers, and gives every marker a reason', () => {
    const wrong = checked
      .filter(({ block }) => block.marker !== undefined)
      .filter(
        ({ block, result }) =>
          result !== undefined || !/^illustrative:\s*\S/.test(block.marker ?? ''),
      )
      .map(({ block }) => `${where(block)}: ${block.marker}`);
    expect(wrong).toEqual([]);
  });

  it('holds YAML and JSON the real schemas accept', () => {
    const problems = checked
      .filter(({ result }) => result !== undefined && result.problems.length > 0)
      .map(
        ({ block, result }) => `${where(block)} ${result?.kind}: ${result?.problems.join('; ')}`,
      );
    expect(problems).toEqual([]);
  });

  const scripts = checked.flatMap(({ block, result }) =>
    (result?.scripts ?? []).map((script) => ({ at: where(block), script })),
  );
  const exampleFiles = filesUnder('docs/examples', '');
  for (const file of exampleFiles.filter((f) => /\.ya?ml$/.test(f))) {
    const result = checkYaml(readFileSync(join(root, file), 'utf8'));
    for (const script of result?.scripts ?? []) scripts.push({ at: file, script });
  }

  it('calls only candor commands and flags that exist (parsed by the real program, run dry)', async () => {
    const invocations = scripts.flatMap(({ at, script }) =>
      candorInvocations(script).map((argv) => ({ at, argv })),
    );
    expect(invocations.length).toBeGreaterThan(30);
    const refused: string[] = [];
    for (const { at, argv } of invocations) {
      const problem = await dryParse(argv);
      if (problem !== undefined) refused.push(`${at}: candor ${argv.join(' ')}: ${problem}`);
    }
    expect(refused).toEqual([]);
  });

  it('refuses what the dry parse must catch: an unknown command, an unknown flag', async () => {
    expect(await dryParse(['flaky', 'budget', '--max', '0.5%'])).toBeUndefined();
    expect(await dryParse(['flakey'])).toMatch(/unknown command/);
    expect(await dryParse(['ingest', 'r.xml', '--strated-at', 'x'])).toMatch(/unknown option/);
    expect(
      candorInvocations(
        'files=$(git ls-files | npx candor split --shards 4 --index "$SHARD") || exit 1',
      ),
    ).toEqual([['split', '--shards', '4', '--index', '1']]);
    expect(
      candorInvocations('npx jest -t "$(npx candor quarantine export --format jest)" # candor x'),
    ).toEqual([['quarantine', 'export', '--format', 'jest']]);
  });

  it('holds shell that bash parses (one bash -n for all of it)', () => {
    const program = scripts
      .map(({ at, script }, index) => `# ${at}\nsnippet_${index}() {\n${script}\n}\n`)
      .join('\n');
    const result = spawnSync('bash', ['-n'], { input: program, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has a test for every file of docs/examples', () => {
    const tests = filesUnder('src', '.test.ts')
      .filter((f) => f !== 'src/docs-snippets.test.ts')
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    const untested = exampleFiles.filter(
      (file) => !tests.includes(file.slice('docs/examples/'.length)),
    );
    expect(untested).toEqual([]);
  });
});
