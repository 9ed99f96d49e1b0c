import type { FastifyInstance } from 'fastify';
import { judgeStoredRun } from '../../app/quarantine/judge-stored-run.ts';
import { VerdictQuery } from '../../contracts/queries.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import { exitCodeOfVerdict, type VerdictJson } from '../../contracts/verdict.ts';
import { toIsoDate } from '../../core/lib/time.ts';
import { QuarantineFile } from '../../core/quarantine/quarantine.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { acceptJsonBody } from '../read-json-body.ts';
import type { Store } from '../../store/open-store.ts';

/**
 * POST /api/v1/verdicts: the verdict of a stored run (`run`, or `commit` and `repo`, in the
 * query), judged against the caller's quarantine file sent as the JSON body (`{"tests": [...]}`,
 * the file's content; none: an empty quarantine). The JSON of `candor verdict --json`; the run
 * stays as stored (docs/adr/0019). 404 `not-found` when no stored run matches.
 */
export async function verdictsRoute(
  app: FastifyInstance,
  context: { store: Store; now: () => Date; eventsBodyLimitBytes: number },
) {
  const { store, now } = context;
  const route = 'POST /api/v1/verdicts';
  app.post(
    '/api/v1/verdicts',
    {
      onRequest: requireScope(store, 'read'),
      config: { queryParameters: queryParameters(VerdictQuery) },
      preParsing: acceptJsonBody(app, { limitBytes: context.eventsBodyLimitBytes, route }),
    },
    async (request) => {
      const query = parseWith(VerdictQuery, request.query, 'query');
      const quarantine = parseWith(QuarantineFile, request.body ?? {}, 'body');
      const result = await judgeStoredRun(store, {
        ...query,
        quarantine: quarantine.tests,
        today: toIsoDate(now()),
      });
      return {
        ...result.judged,
        verdict: result.outcome,
        exitCode: exitCodeOfVerdict(result.outcome),
        reports: result.reports,
      } satisfies VerdictJson;
    },
  );
}
