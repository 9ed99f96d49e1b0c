import { z } from 'zod';
import type { Finding, FindingsLog, FindingsRun } from '../../../core/evidence/finding.ts';
import {
  resolveSarifLevel,
  type SarifLevelInput,
  type SarifRule,
  type SarifRules,
} from '../../../core/evidence/resolve-sarif-level.ts';
import { fail, ok } from '../../../core/lib/result.ts';
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
  findings: Finding[];
  /** Results whose level or message waits for the tool (results may come before it). */
  deferred: { index: number; level: SarifLevelInput; messageId?: string }[];
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
    findings: [],
    deferred: [],
    suppressed: 0,
  };
}

/** Suppressed (SARIF §3.27.23) when every suppression is accepted (a missing status is). */
function isSuppressed(result: SarifResult): boolean {
  const all = result.suppressions ?? [];
  return all.length > 0 && all.every((s) => s.status === undefined || s.status === 'accepted');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function toFinding(result: SarifResult): Omit<Finding, 'level'> {
  const physical = result.locations?.[0]?.physicalLocation;
  const fingerprints = [
    ...Object.entries(result.partialFingerprints ?? {}).map(([k, v]) => `${k}=${v}`),
    ...Object.entries(result.fingerprints ?? {}).map(([k, v]) => `${k}=${v}`),
  ].sort();
  const snippet = physical?.region?.snippet?.text;
  return {
    ruleId: result.ruleId ?? result.rule?.id ?? '',
    uri: physical?.artifactLocation?.uri,
    startLine: physical?.region?.startLine,
    message: truncateText(result.message.text ?? result.message.id ?? '', 1_000),
    fingerprints,
    snippet: snippet === undefined ? undefined : truncateText(collapse(snippet), 500),
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
    const problems = new ProblemList();
    const runs: PendingRun[] = [];
    let version: unknown;
    let hasRuns = false;
    const runAt = (path: JsonPath): PendingRun => {
      const index = path[1] as number;
      while (runs.length <= index) runs.push(emptyRun());
      return runs[index] as PendingRun;
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
          const result = SarifResult.safeParse(value);
          if (!result.success) return problems.add(...issueProblems(path, result.error));
          if (isSuppressed(result.data)) {
            run.suppressed++;
            return;
          }
          const level: SarifLevelInput = {
            kind: result.data.kind,
            level: result.data.level,
            ruleId: result.data.ruleId,
            ruleIndex: result.data.ruleIndex,
            rule: result.data.rule && {
              id: result.data.rule.id,
              index: result.data.rule.index,
              toolComponent: result.data.rule.toolComponent?.index,
            },
          };
          const messageId =
            result.data.message.text === undefined ? result.data.message.id : undefined;
          // Levels need the rules (`tool`) and overrides (`invocations`), which may come after
          // the results: resolved now when both were read, else when the document ends.
          const isReady = run.hasTool && run.hasInvocations;
          const finding: Finding = {
            ...toFinding(result.data),
            level: isReady ? resolveSarifLevel(level, run.rules) : 'warning',
          };
          if (messageId !== undefined && isReady) {
            finding.message = run.messages.get(finding.ruleId)?.[messageId] ?? finding.message;
          }
          if (!isReady) {
            run.deferred.push({
              index: run.findings.length,
              level,
              ...(messageId === undefined ? {} : { messageId }),
            });
          }
          run.findings.push(finding);
        }
      },
    });
    if (!parsed.ok) return parsed;
    if (version === undefined)
      return fail(shapeProblem(['version'], 'required (expected "2.1.0")'));
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
    for (const run of runs) {
      for (const { index, level, messageId } of run.deferred) {
        const finding = run.findings[index];
        if (finding === undefined) continue;
        finding.level = resolveSarifLevel(level, run.rules);
        if (messageId !== undefined) {
          finding.message = run.messages.get(finding.ruleId)?.[messageId] ?? finding.message;
        }
      }
      run.deferred = [];
    }
    return ok({
      version: '2.1.0',
      runs: runs.map((run): FindingsRun => ({
        tool: run.tool,
        didRun: run.results === 'array',
        suppressed: run.suppressed,
        findings: run.findings,
      })),
    } satisfies FindingsLog);
  },
} satisfies EvidenceReader<'findings'>;
