import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CandorConfig } from '../../config/candor-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { evaluateWatch, type WatchReport } from '../../core/watch/evaluate-watch.ts';
import { parseWatchInput } from '../../core/watch/watch-input.ts';
import type { Store } from '../../store/open-store.ts';
import { runRollback, type RollbackRun } from '../release/run-rollback.ts';

export type WatchOnce = WatchReport & {
  /** The rollback the findings ran, when a degraded metric asked for one and it was allowed. */
  rollbackRun: RollbackRun | null;
  warnings: string[];
};

/**
 * Reads a watch input file (JSON, `candor watch --input`), evaluates it once and, when a metric
 * marked `rollback: true` is degraded and `allowRollback`, runs the service's rollback action
 * with the findings as its reason (recorded like `candor rollback`). Throws CandorError `usage`
 * (unreadable JSON, an invalid input, naming the file and the JSON path), `io` or `database`.
 */
export async function watchOnce(
  openStore: () => Promise<Store>,
  config: CandorConfig,
  request: {
    cwd: string;
    input: string;
    service?: string | undefined;
    deployment?: string | undefined;
    environment: string;
    allowRollback: boolean;
    env: Readonly<Record<string, string | undefined>>;
    now: () => Date;
    signal: AbortSignal;
  },
): Promise<WatchOnce> {
  let text: string;
  try {
    text = readFileSync(resolve(request.cwd, request.input), 'utf8');
  } catch (error) {
    throw new CandorError('io', `cannot read ${request.input}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CandorError('usage', `${request.input}: not JSON: ${messageOf(error)}`);
  }
  const parsed = parseWatchInput(json);
  if (!parsed.ok)
    throw new CandorError(
      'usage',
      parsed.errors
        .map((p) => formatProblem({ ...p, message: `${p.path}: ${p.message}` }, request.input))
        .join('\n'),
    );
  const input = {
    ...parsed.value,
    ...(request.service !== undefined ? { service: request.service } : {}),
    ...(request.deployment !== undefined ? { deployment: request.deployment } : {}),
  };
  const report = evaluateWatch(input);
  return {
    ...report,
    ...(await rollbackForFindings(openStore, config, report, {
      ...request,
      service: input.service,
      deployment: input.deployment,
    })),
  };
}

/**
 * When a degraded metric marked `rollback: true` asks for it and `allowRollback`, runs the
 * service's rollback action with the findings as its reason (recorded like `candor rollback`);
 * otherwise says why nothing ran. Throws CandorError like `runRollback`.
 */
export async function rollbackForFindings(
  openStore: () => Promise<Store>,
  config: CandorConfig,
  report: WatchReport,
  request: {
    cwd: string;
    service?: string | undefined;
    deployment?: string | undefined;
    environment: string;
    allowRollback: boolean;
    env: Readonly<Record<string, string | undefined>>;
    now: () => Date;
    signal: AbortSignal;
  },
): Promise<{ rollbackRun: RollbackRun | null; warnings: string[] }> {
  const input = request;
  const warnings: string[] = [];
  let rollbackRun: RollbackRun | null = null;
  if (report.rollbackMetrics.length > 0) {
    if (!request.allowRollback)
      warnings.push(
        `${report.rollbackMetrics.join(', ')} asked for a rollback; --no-rollback: nothing ran`,
      );
    else if (input.service === undefined)
      warnings.push(
        'a metric asked for a rollback but no service is known (--service): nothing ran',
      );
    else if (config.services?.[input.service]?.rollback === undefined)
      warnings.push(
        `a metric asked for a rollback but candor.yml has no services.${input.service}.rollback: nothing ran`,
      );
    else {
      const reasons = report.findings
        .filter((f) => f.result === 'degraded' && report.rollbackMetrics.includes(f.metric))
        .map((f) => `${f.metric} ${f.detector}: ${f.reason}`);
      const store = await openStore();
      try {
        rollbackRun = await runRollback(store, config, {
          service: input.service,
          environment: request.environment,
          purpose: 'rollback',
          deployment: input.deployment,
          reason: `candor watch: ${reasons.join('; ')}`.slice(0, 900),
          dryRun: false,
          env: request.env,
          cwd: request.cwd,
          now: request.now,
          signal: request.signal,
        });
      } finally {
        await store.close();
      }
    }
  }
  return { rollbackRun, warnings };
}
