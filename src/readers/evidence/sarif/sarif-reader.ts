import { z } from 'zod';
import {
  sarifLevels,
  type FindingSink,
  type FindingsLog,
  type FindingsRun,
  type SarifLevel,
  type StreamedFinding,
  type StreamedFindingsRun,
} from '../../../core/evidence/finding.ts';
import {
  resolveSarifLevel,
  type SarifLevelInput,
  type SarifRule,
  type SarifRules,
} from '../../../core/evidence/resolve-sarif-level.ts';
import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import { truncateText } from '../../../core/lib/truncate-text.ts';
import { issueProblems, ProblemList, shapeProblem } from '../evidence-problems.ts';
import type { EvidenceReader } from '../evidence-reader.ts';
import { streamJson, type JsonPath } from '../stream-json.ts';

const Rule = z.object({
  id: z.string().optional(),
  defaultConfiguration: z.object({ level: z.string().optional() }).optional(),
  messageStrings: z.record(z.string(), z.object({ text: z.string().optional() })).optional(),
});
const ToolComponent = z.object({
  name: z.string().optional(),
  rules: z.array(Rule).nullish(),
});
const Tool = z.object({ driver: ToolComponent, extensions: z.array(ToolComponent).nullish() });
const DescriptorReference = z.object({
  id: z.string().optional(),
  index: z.number().int().optional(),
  toolComponent: z.object({ index: z.number().int().optional() }).optional(),
});
const Invocations = z.array(
  z.object({
    ruleConfigurationOverrides: z
      .array(
        z.object({
          descriptor: DescriptorReference,
          configuration: z.object({ level: z.string().optional() }),
        }),
      )
      .nullish(),
  }),
);

/** A SARIF result: what the gate reads of it; other properties are ignored. */
export const SarifResult = z.object({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().optional(),
  rule: DescriptorReference.optional(),
  kind: z.string().optional(),
  level: z.string().optional(),
  message: z.object({ text: z.string().optional(), id: z.string().optional() }),
  locations: z
    .array(
      z.object({
        physicalLocation: z
          .object({
            artifactLocation: z.object({ uri: z.string().optional() }).optional(),
            region: z
              .object({
                startLine: z.number().int().optional(),
                snippet: z.object({ text: z.string().optional() }).optional(),
              })
              .optional(),
          })
          .optional(),
      }),
    )
    .nullish(),
  partialFingerprints: z.record(z.string(), z.string()).nullish(),
  fingerprints: z.record(z.string(), z.string()).nullish(),
  suppressions: z.array(z.object({ status: z.string().optional() })).nullish(),
});
type SarifResult = z.infer<typeof SarifResult>;

type PendingRun = {
  hasTool: boolean;
  hasInvocations: boolean;
  tool: string;
  rules: SarifRules;
  messages: Map<string, Record<string, string>>;
  results: 'absent' | 'null' | 'array' | 'other';
  /** Results read before the run's tool: handed over when the tool is read (rare: tool comes first). */
  early: SarifResult[];
  /** The level inputs met, by level key: resolved when the document ends (overrides may come last). */
  levelInputs: Map<string, SarifLevelInput>;
  suppressed: number;
};

function emptyRun(): PendingRun {
  return {
    hasTool: false,
    hasInvocations: false,
    tool: '',
    rules: { driver: [], extensions: [], overrides: [] },
    messages: new Map(),
    results: 'absent',
    early: [],
    levelInputs: new Map(),
    suppressed: 0,
  };
}

const asLevel = (value: string | undefined): SarifLevel | undefined =>
  (sarifLevels as readonly string[]).includes(value ?? '') ? (value as SarifLevel) : undefined;

/**
 * The key of what decides a result's level: `=error` when the result settles it (its own
 * `level`, or a `kind` other than `fail`), else its rule reference, whose level the run's rules
 * and overrides decide. A run has as many keys as rules referenced, so the level of millions of
 * results is resolved once per key, when the document ends. `byRuleId` caches the keys of
 * results that reference their rule by `ruleId` alone (most do), by that id.
 */
function levelKeyOf(result: SarifResult, byRuleId: Map<string, string>): string {
  if (result.kind !== undefined && result.kind !== 'fail') return '=none';
  const own = asLevel(result.level);
  if (own !== undefined) return `=${own}`;
  const { ruleId } = result;
  const isByIdAlone =
    ruleId !== undefined && result.ruleIndex === undefined && result.rule === undefined;
  if (isByIdAlone) {
    const cached = byRuleId.get(ruleId);
    if (cached !== undefined) return cached;
  }
  const input = levelInputOf(result);
  const key = JSON.stringify([
    input.ruleId,
    input.ruleIndex,
    input.rule?.id,
    input.rule?.index,
    input.rule?.toolComponent,
  ]);
  if (isByIdAlone && byRuleId.size < 10_000) byRuleId.set(ruleId, key);
  return key;
}

/** What `resolveSarifLevel` reads of a result whose level its rule decides. */
function levelInputOf(result: SarifResult): SarifLevelInput {
  return {
    kind: result.kind,
    ruleId: result.ruleId,
    ruleIndex: result.ruleIndex,
    rule: result.rule && {
      id: result.rule.id,
      index: result.rule.index,
      toolComponent: result.rule.toolComponent?.index,
    },
  };
}

/** Suppressed (SARIF §3.27.23) when every suppression is accepted (a missing status is). */
function isSuppressed(result: SarifResult): boolean {
  const all = result.suppressions ?? [];
  return all.length > 0 && all.every((s) => s.status === undefined || s.status === 'accepted');
}

// Whitespace `collapse` would change: a run of two, one other than a space, one at either end.
const uncollapsed = /\s\s|[^\S ]|^\s|\s$/;

function collapse(text: string): string {
  return uncollapsed.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

/** The `key=value` pairs of a fingerprint record, in key order (object order, then sorted). */
function pushFingerprints(into: string[], record: Record<string, string> | null | undefined) {
  if (record === undefined || record === null) return;
  for (const key in record) into.push(`${key}=${record[key]}`);
}

function toFinding(result: SarifResult, levelKey: string): StreamedFinding {
  const physical = result.locations?.[0]?.physicalLocation;
  const fingerprints: string[] = [];
  pushFingerprints(fingerprints, result.partialFingerprints);
  pushFingerprints(fingerprints, result.fingerprints);
  if (fingerprints.length > 1) fingerprints.sort();
  const snippet = physical?.region?.snippet?.text;
  return {
    ruleId: result.ruleId ?? result.rule?.id ?? '',
    uri: physical?.artifactLocation?.uri,
    startLine: physical?.region?.startLine,
    message: truncateText(result.message.text ?? result.message.id ?? '', 1_000),
    fingerprints,
    snippet: snippet === undefined ? undefined : truncateText(collapse(snippet), 500),
    levelKey,
  };
}

function toRules(tool: z.infer<typeof Tool>): SarifRule[][] {
  return [tool.driver, ...(tool.extensions ?? [])].map((component) =>
    (component.rules ?? []).map((rule) => ({
      id: rule.id,
      defaultLevel: rule.defaultConfiguration?.level,
    })),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isOptionalString = (v: unknown) => v === undefined || typeof v === 'string';
const isOptionalInt = (v: unknown) => v === undefined || Number.isSafeInteger(v);
const isStringRecord = (v: unknown) => {
  if (v === undefined || v === null) return true;
  if (!isObject(v)) return false;
  for (const key in v) if (typeof v[key] !== 'string') return false;
  return true;
};

/**
 * True when `value` is a result `SarifResult` accepts: the same rules, checked by hand, because
 * the schema's parse of every result of a 50 MB file costs more than reading it. Any `false` is
 * parsed by the schema, which says what is wrong and where. Never throws.
 */
function isPlainResult(value: unknown): value is SarifResult {
  if (!isObject(value)) return false;
  const { rule, message, locations, suppressions } = value;
  if (
    !isOptionalString(value['ruleId']) ||
    !isOptionalInt(value['ruleIndex']) ||
    !isOptionalString(value['kind']) ||
    !isOptionalString(value['level']) ||
    !isObject(message) ||
    !isOptionalString(message['text']) ||
    !isOptionalString(message['id']) ||
    !isStringRecord(value['partialFingerprints']) ||
    !isStringRecord(value['fingerprints'])
  )
    return false;
  if (rule !== undefined) {
    if (!isObject(rule) || !isOptionalString(rule['id']) || !isOptionalInt(rule['index']))
      return false;
    const component = rule['toolComponent'];
    if (component !== undefined && (!isObject(component) || !isOptionalInt(component['index'])))
      return false;
  }
  if (suppressions !== undefined && suppressions !== null) {
    if (!Array.isArray(suppressions)) return false;
    for (const s of suppressions) if (!isObject(s) || !isOptionalString(s['status'])) return false;
  }
  if (locations !== undefined && locations !== null) {
    if (!Array.isArray(locations)) return false;
    for (const location of locations) {
      if (!isObject(location)) return false;
      const physical = location['physicalLocation'];
      if (physical === undefined) continue;
      if (!isObject(physical)) return false;
      const artifact = physical['artifactLocation'];
      if (artifact !== undefined && (!isObject(artifact) || !isOptionalString(artifact['uri'])))
        return false;
      const region = physical['region'];
      if (region === undefined) continue;
      if (!isObject(region) || !isOptionalInt(region['startLine'])) return false;
      const snippet = region['snippet'];
      if (snippet !== undefined && (!isObject(snippet) || !isOptionalString(snippet['text'])))
        return false;
    }
  }
  return true;
}

/**
 * Streams a SARIF 2.1.0 log: each unsuppressed result, checked and reduced to a finding, goes
 * to `sink` as soon as it and its run's `tool` have been read (results met before the tool wait
 * for it, held), so memory holds one result at a time in files that write the tool first, as
 * producers do. Levels are keys, resolved by the runs returned (`levelOf`, SARIF §3.27.10): an
 * invocation's overrides may come after the results. A message given by `message.id` is looked
 * up in the rule's `messageStrings`.
 *
 * Returns the runs (tool, whether it ran, suppressed count), or the problems (a syntax error by
 * line:column; a shape problem by JSON path; a version other than 2.1.0). The sink may have
 * received findings of a document that then fails. Never throws for bad input.
 */
export async function streamSarif(
  text: AsyncIterable<string>,
  sink: FindingSink,
): Promise<Result<StreamedFindingsRun[], Problem>> {
  const problems = new ProblemList();
  const runs: PendingRun[] = [];
  let version: unknown;
  let hasRuns = false;
  const runAt = (path: JsonPath): PendingRun => {
    const index = path[1] as number;
    while (runs.length <= index) runs.push(emptyRun());
    return runs[index] as PendingRun;
  };
  const keysByRuleId = new Map<string, string>();
  const hand = (run: PendingRun, index: number, result: SarifResult) => {
    const key = levelKeyOf(result, keysByRuleId);
    if (!key.startsWith('=') && !run.levelInputs.has(key))
      run.levelInputs.set(key, levelInputOf(result));
    const finding = toFinding(result, key);
    if (result.message.text === undefined && result.message.id !== undefined) {
      finding.message = run.messages.get(finding.ruleId)?.[result.message.id] ?? finding.message;
    }
    sink(finding, index, run.tool);
  };
  const parsed = await streamJson(text, {
    paths: ['$.version', '$.runs.*.tool', '$.runs.*.invocations', '$.runs.*.results.*'],
    onStart(path, kind) {
      if (path.length === 1 && path[0] === 'runs') {
        hasRuns = kind === 'array';
        if (kind !== 'array')
          problems.add(shapeProblem(['runs'], `expected array, received ${kind}`));
      }
      if (path.length === 3 && path[0] === 'runs' && path[2] === 'results') {
        runAt(path).results = kind === 'null' ? 'null' : kind === 'array' ? 'array' : 'other';
      }
    },
    onValue(value, path) {
      if (path.length === 1) {
        version = value;
        return;
      }
      if (path[0] !== 'runs' || typeof path[1] !== 'number') return;
      const index = path[1];
      const run = runAt(path);
      if (path[2] === 'tool') {
        const tool = Tool.safeParse(value);
        if (!tool.success) return problems.add(...issueProblems(path, tool.error));
        const [driver = [], ...extensions] = toRules(tool.data);
        run.hasTool = true;
        run.tool = tool.data.driver.name ?? '';
        run.rules = { ...run.rules, driver, extensions };
        for (const rule of tool.data.driver.rules ?? []) {
          if (rule.id !== undefined && rule.messageStrings !== undefined) {
            const texts: Record<string, string> = {};
            for (const [id, m] of Object.entries(rule.messageStrings)) {
              if (m.text !== undefined) texts[id] = m.text;
            }
            run.messages.set(rule.id, texts);
          }
        }
        if (problems.items.length === 0) for (const early of run.early) hand(run, index, early);
        run.early = [];
      } else if (path[2] === 'invocations') {
        const invocations = Invocations.safeParse(value);
        if (!invocations.success) return problems.add(...issueProblems(path, invocations.error));
        run.hasInvocations = true;
        run.rules = {
          ...run.rules,
          overrides: invocations.data.flatMap((invocation) =>
            (invocation.ruleConfigurationOverrides ?? []).map((o) => ({
              id: o.descriptor.id,
              index: o.descriptor.index,
              toolComponent: o.descriptor.toolComponent?.index,
              level: o.configuration.level,
            })),
          ),
        };
      } else if (path[2] === 'results') {
        if (problems.items.length > 0) return;
        let result: SarifResult;
        if (isPlainResult(value)) result = value;
        else {
          const checked = SarifResult.safeParse(value);
          if (!checked.success) return problems.add(...issueProblems(path, checked.error));
          result = checked.data;
        }
        if (isSuppressed(result)) {
          run.suppressed++;
          return;
        }
        if (run.hasTool) hand(run, index, result);
        else run.early.push(result);
      }
    },
  });
  if (!parsed.ok) return parsed;
  if (version === undefined) return fail(shapeProblem(['version'], 'required (expected "2.1.0")'));
  if (version !== '2.1.0') {
    return fail(
      shapeProblem(
        ['version'],
        `SARIF version ${JSON.stringify(version)} is not supported (expected "2.1.0")`,
      ),
    );
  }
  if (!hasRuns) problems.add(shapeProblem(['runs'], 'required (an array of runs)'));
  runs.forEach((run, index) => {
    if (!run.hasTool) problems.add(shapeProblem(['runs', index, 'tool'], 'required'));
    if (run.results === 'other') {
      problems.add(shapeProblem(['runs', index, 'results'], 'expected array or null'));
    }
  });
  if (problems.items.length > 0) return fail(...problems.items);
  return ok(
    runs.map((run): StreamedFindingsRun => {
      const levels = new Map<string, SarifLevel>();
      return {
        tool: run.tool,
        didRun: run.results === 'array',
        suppressed: run.suppressed,
        levelOf(key) {
          if (key.startsWith('=')) return asLevel(key.slice(1)) ?? 'warning';
          let level = levels.get(key);
          if (level === undefined) {
            const input = run.levelInputs.get(key);
            level = input === undefined ? 'warning' : resolveSarifLevel(input, run.rules);
            levels.set(key, level);
          }
          return level;
        },
      };
    }),
  );
}

/** SARIF 2.1.0 JSON: results streamed one at a time, levels resolved by the spec. */
export const sarifReader = {
  id: 'sarif',
  description:
    'SARIF 2.1.0 JSON: results streamed, levels resolved by the spec, suppressed ones left out',
  kind: 'findings',
  detectHint: 'SARIF 2.1.0 JSON (with "version": "2.1.0" and "runs")',

  detect(head) {
    return /^\s*\{/.test(head) && /"(runs|\$schema)"\s*:/.test(head) && !/"bomFormat"/.test(head);
  },

  async read(text) {
    const findings: StreamedFinding[][] = [];
    const streamed = await streamSarif(text, (finding, run) => {
      while (findings.length <= run) findings.push([]);
      findings[run]?.push(finding);
    });
    if (!streamed.ok) return streamed;
    return ok({
      version: '2.1.0',
      runs: streamed.value.map((run, index): FindingsRun => ({
        tool: run.tool,
        didRun: run.didRun,
        suppressed: run.suppressed,
        findings: (findings[index] ?? []).map(({ levelKey, ...finding }) => ({
          ...finding,
          level: run.levelOf(levelKey),
        })),
      })),
    } satisfies FindingsLog);
  },

  stream: streamSarif,
} satisfies EvidenceReader<'findings'>;
