import type { DeliveryEventType } from '../../../core/delivery/event-kinds.ts';
import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import type { EventReader } from '../event-reader.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * True for a bare CDEvent (`{context, subject}`) or a structured CloudEvent carrying one in `data`.
 * Never throws.
 */
export function isCdEventEnvelope(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isObject(value['context']) && isObject(value['subject'])) return true;
  return (
    typeof value['specversion'] === 'string' &&
    typeof value['type'] === 'string' &&
    /^dev\.cdevents(x)?\./.test(value['type'])
  );
}

/** A problem of the mapping: all are about the CDEvent's type, as candor has always said. */
const refuse = (message: string) => fail<Problem>({ path: 'context.type', message });

/**
 * CDEvents (v0.3–v0.5; CloudEvents structured, binary and bare JSON) mapped to candor's event
 * JSON, validated afterwards like any event. The idempotency key is (context.source, context.id);
 * `context.timestamp` is when it occurred. Candor fields missing from the CDEvent vocabulary
 * (commit, service, deployment, result) are read from `customData` when present, and
 * `customData.candor` may give any candor field outright. A `service.rolledback` is two events:
 * `rollback_triggered` (id `<context.id>:triggered`) and `rollback_finished` (id `context.id`),
 * both at `context.timestamp`, since CDEvents has no event for the trigger. A CDEvents type
 * candor does not map (and no `customData.candor.type`) maps to no event: ignored, not refused.
 * Refuses, with the path `context.type`, what is no CDEvent. Never throws.
 */
export function mapCdEvent(value: unknown): Result<Json[], Problem> {
  if (!isObject(value)) return refuse('a CDEvent must be a JSON object');
  // Structured CloudEvent: the CDEvent is its data.
  const cdevent = isObject(value['context'])
    ? value
    : isObject(value['data'])
      ? value['data']
      : undefined;
  if (!cdevent || !isObject(cdevent['context']) || !isObject(cdevent['subject'])) {
    return refuse(
      'expected a CDEvent with context and subject (or a CloudEvent whose data is one)',
    );
  }
  const context = cdevent['context'];
  const subject = cdevent['subject'];
  const content = isObject(subject['content']) ? subject['content'] : {};
  const custom = isObject(cdevent['customData']) ? cdevent['customData'] : {};
  const type = str(context['type']) ?? '';
  const match = /^dev\.cdevents(?:x)?\.([a-z0-9-]+)\.([a-z0-9]+)\.\d+\.\d+\.\d+/i.exec(type);
  if (!match) return refuse(`context.type: not a CDEvents type: "${type}"`);
  const [, subjectType = '', predicate = ''] = match;
  const environment = isObject(content['environment'])
    ? str(content['environment']['id'])
    : str(content['environment']);
  const service =
    str(custom['service']) ??
    (isObject(content['service']) ? str(content['service']['id']) : str(content['service'])) ??
    (subjectType.toLowerCase() === 'service' ? str(subject['id']) : undefined) ??
    str(subject['source']) ??
    str(context['source']);
  const change = isObject(content['change']) ? str(content['change']['id']) : undefined;
  let candorType: DeliveryEventType | undefined;
  let result: 'success' | 'failure' | undefined;
  let isRollback = false;
  switch (`${subjectType.toLowerCase()}.${predicate.toLowerCase()}`) {
    case 'change.merged':
      candorType = 'commit_created';
      break;
    case 'artifact.packaged':
    case 'build.finished':
      candorType = 'artifact_built';
      break;
    case 'testsuiterun.finished': {
      const outcome = str(content['outcome']);
      candorType = outcome === 'success' ? 'tests_passed' : 'tests_failed';
      break;
    }
    case 'service.deployed':
    case 'service.upgraded':
      candorType = 'deploy_finished';
      result = 'success';
      break;
    case 'service.rolledback':
      candorType = 'rollback_finished';
      result = 'success';
      isRollback = true;
      break;
    case 'incident.detected':
    case 'incident.reported':
      candorType = 'incident_opened';
      break;
    case 'incident.resolved':
      candorType = 'incident_resolved';
      break;
    default:
      break;
  }
  const explicit = isObject(custom['candor']) ? custom['candor'] : {};
  // A type candor does not record: ignored, so a broker that forwards every CDEvent is not refused.
  if (candorType === undefined && str(explicit['type']) === undefined) return ok([]);
  const isIncident = candorType === 'incident_opened' || candorType === 'incident_resolved';
  const event: Json = {
    type: candorType,
    id: str(context['id']),
    source: str(context['source']),
    occurredAt: str(context['timestamp']),
    service,
    environment,
    commit:
      str(custom['commit']) ??
      change ??
      (candorType === 'commit_created' ? str(subject['id']) : undefined),
    deployment: str(custom['deployment']),
    incident: isIncident ? str(subject['id']) : str(custom['incident']),
    result: str(custom['result']) ?? result,
    ...explicit,
  };
  const finished = withoutUndefined(event);
  if (!isRollback || str(explicit['type']) !== undefined) return ok([finished]);
  // The trigger has no result of its own; its id is the finish's with a suffix, so both are
  // idempotent and a ledger that kept the finish under `context.id` keeps it.
  const triggered = withoutUndefined({
    ...finished,
    result: undefined,
    type: 'rollback_triggered',
    id: typeof finished['id'] === 'string' ? `${finished['id']}:triggered` : undefined,
  });
  return ok([triggered, finished]);
}

const withoutUndefined = (event: Json): Json =>
  Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));

/** CDEvents, bare or in a CloudEvent (readme.md beside this file). */
export const cdeventsEventReader = {
  id: 'cdevents',
  description: 'CDEvents v0.3–v0.5, bare or in a CloudEvent, mapped to candor events',
  detect: isCdEventEnvelope,
  map: mapCdEvent,
} satisfies EventReader;
