import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { CandorConfig } from '../../config/candor-config.ts';
import type { ChaosExperiment } from '../../core/chaos/chaos-experiment.ts';
import { GameDayRecord, type GameDayResult } from '../../core/chaos/game-day-record.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { readChaosToolkitJournal } from '../../readers/chaos/read-chaos-toolkit-journal.ts';
import { readLitmusChaosResult } from '../../readers/chaos/read-litmus-chaos-result.ts';
import type { Store } from '../../store/open-store.ts';
import { recordEvents } from '../delivery/record-events.ts';
import { loadChaosCatalog } from './load-chaos-catalog.ts';

export type GameDayRequest = {
  id: string;
  result: GameDayResult;
  environment?: string | undefined;
  journal?: string | undefined;
  litmus?: string | undefined;
  rollbackSeconds?: number | undefined;
  rollbackVerified?: boolean | undefined;
  findings: readonly string[];
  now: Date;
};

export type RecordedGameDay = {
  file: string;
  record: GameDayRecord;
  event: { type: 'game_day'; id: string };
  warnings: string[];
};

/** The source of the ledger events `candor chaos record` writes. */
export const gameDayEventSource = 'candor-chaos';

function readInput(root: string, file: string): string {
  try {
    return readFileSync(resolve(root, file), 'utf8');
  } catch (error) {
    throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
}

/** The experiment with this id, or CandorError `usage` naming the ids there are. */
export function experimentById(
  entries: readonly { experiment: ChaosExperiment }[],
  id: string,
): ChaosExperiment {
  const found = entries.find((e) => e.experiment.id === id)?.experiment;
  if (found === undefined)
    throw new CandorError(
      'usage',
      `no experiment ${id} in the chaos catalog (there are: ${entries.map((e) => e.experiment.id).join(', ') || 'none'})`,
    );
  return found;
}

/**
 * Records a game day: reads the Chaos Toolkit journal and the LitmusChaos ChaosResult when given
 * (a problem in either is CandorError `invalid-input` naming the file, and nothing is written),
 * then writes a `game_day` ledger event and the record file `<gameDays>/<date>-<id>.yml`.
 * A deviated journal or a failed verdict makes the record deviated whatever `--result` said
 * (with a warning). Throws CandorError `usage` (unknown id), `io`, `database`.
 */
export async function recordGameDay(
  store: Store,
  root: string,
  config: CandorConfig,
  request: GameDayRequest,
): Promise<RecordedGameDay> {
  const catalog = loadChaosCatalog(root, config);
  const experiment = experimentById(catalog.entries, request.id);
  const warnings: string[] = [];
  const result: GameDayRecord['result'] = {
    status: request.result,
    deviated: request.result === 'deviated',
  };
  if (request.journal !== undefined) {
    const journal = readChaosToolkitJournal(readInput(root, request.journal));
    if (!journal.ok)
      throw new CandorError(
        'invalid-input',
        journal.errors.map((p) => formatProblem(p, request.journal)).join('\n'),
      );
    result.journal = request.journal;
    result.journalStatus = journal.value.status;
    if (journal.value.deviated && !result.deviated) {
      warnings.push(`${request.journal} says the steady state deviated: recorded as deviated`);
      result.deviated = true;
    }
    if (journal.value.status === 'aborted' && request.result !== 'aborted')
      warnings.push(`${request.journal} says the run was aborted, --result says ${request.result}`);
  }
  if (request.litmus !== undefined) {
    const litmus = readLitmusChaosResult(readInput(root, request.litmus));
    if (!litmus.ok)
      throw new CandorError(
        'invalid-input',
        litmus.errors.map((p) => formatProblem(p, request.litmus)).join('\n'),
      );
    result.litmus = request.litmus;
    result.litmusVerdict = litmus.value.verdict;
    if (litmus.value.probeSuccessPercentage !== undefined)
      result.probeSuccessPercentage = litmus.value.probeSuccessPercentage;
    if (litmus.value.verdict === 'Fail' && !result.deviated) {
      warnings.push(`${request.litmus} has verdict Fail: recorded as deviated`);
      result.deviated = true;
    }
  }
  if (result.deviated && result.status === 'completed') result.status = 'deviated';
  const rollbackExecuted =
    request.rollbackSeconds !== undefined || request.rollbackVerified === true;
  const date = request.now.toISOString().slice(0, 10);
  const record = GameDayRecord.parse({
    experiment: experiment.id,
    service: experiment.service,
    date,
    recordedAt: request.now.toISOString(),
    environment: request.environment ?? experiment.blastRadius.environment,
    result,
    ...(rollbackExecuted
      ? {
          rollback: {
            executed: true,
            actions: experiment.rollback,
            ...(request.rollbackSeconds !== undefined
              ? { durationSeconds: request.rollbackSeconds }
              : {}),
            verified: request.rollbackVerified === true,
          },
        }
      : {}),
    findings: request.findings.map((summary) => ({ summary })),
  });
  let file = `${catalog.gameDaysDir}/${date}-${experiment.id}.yml`;
  for (let n = 2; existsSync(resolve(root, file)); n++)
    file = `${catalog.gameDaysDir}/${date}-${experiment.id}-${n}.yml`;
  const eventId = `game-day:${experiment.id}:${request.now.toISOString()}`;
  const recorded = await recordEvents(
    store,
    [
      {
        value: {
          type: 'game_day',
          id: eventId,
          source: gameDayEventSource,
          occurredAt: request.now.toISOString(),
          service: experiment.service,
          environment: record.environment,
          result: record.result.status === 'completed' ? 'success' : 'failure',
          attributes: {
            experiment: experiment.id,
            status: record.result.status,
            deviated: record.result.deviated,
            rollbackExecuted,
            rollbackVerified: record.rollback?.verified ?? false,
            ...(record.rollback?.durationSeconds !== undefined
              ? { rollbackSeconds: record.rollback.durationSeconds }
              : {}),
            findings: record.findings.length,
            record: file,
          },
        },
      },
    ],
    { receivedAt: request.now.toISOString(), atomic: true },
  );
  if (recorded.errors.length > 0)
    throw new CandorError(
      'invalid-input',
      `cannot record game_day: ${recorded.errors.map((e) => e.message).join('; ')}`,
    );
  const header = `# Game day of ${experiment.id} (${experiment.title}), written by candor chaos record.\n`;
  try {
    mkdirSync(dirname(resolve(root, file)), { recursive: true });
    writeFileSync(resolve(root, file), header + stringify(record), { flag: 'wx' });
  } catch (error) {
    throw new CandorError('io', `cannot write ${file}: ${messageOf(error)}`, { cause: error });
  }
  return { file, record, event: { type: 'game_day', id: eventId }, warnings };
}
