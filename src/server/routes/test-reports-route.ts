import type { FastifyInstance } from 'fastify';
import { ingestReport, type IngestProblem } from '../../app/tests/ingest-report.ts';
import { sumFiles } from '../../app/tests/ingest-reports.ts';
import { reportFormatIds } from '../../app/tests/report-formats.ts';
import { bufferSource } from '../../app/tests/report-source.ts';
import { resolveRun } from '../../app/tests/resolve-run.ts';
import { testReportQuery } from '../../contracts/queries.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { implausibleTime } from '../../core/lib/plausible-time.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { guardBody } from '../guard-body.ts';
import { parseWith } from '../parse-with.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';

/** The query of POST /api/v1/test-reports, for the formats the readers know. */
const TestReportQuery = testReportQuery(reportFormatIds);

/** Where a rejected report went wrong, naming a JSON path or a position once. */
export function describeProblem(problem: IngestProblem | undefined): string {
  if (!problem) return 'the report was rejected';
  if (problem.line !== null) return `${problem.message} at ${problem.line}:${problem.column ?? 1}`;
  // Readers usually name the path in the message already (`results.tests[0].name: …`).
  if (problem.path !== undefined && !problem.message.includes(problem.path))
    return `${problem.message} at ${problem.path}`;
  return problem.message;
}

/**
 * POST /api/v1/test-reports: one raw report per request (JUnit XML or CTRF JSON, any content
 * type but multipart, uncompressed), run metadata in the query. 201 with the ingest summary; 200
 * when the report was already stored in that run; 422 with the summary when the report was
 * rejected. The token is checked before the body is read; bodies over `bodyLimitBytes` are 413.
 */
export async function testReportsRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date; bodyLimitBytes: number },
) {
  const { store, now } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post(
    '/api/v1/test-reports',
    {
      bodyLimit: options.bodyLimitBytes,
      onRequest: requireScope(store, 'ingest'),
      config: { queryParameters: queryParameters(TestReportQuery) },
      preParsing: guardBody({
        limitBytes: options.bodyLimitBytes,
        limitFlag: '--body-limit',
        route: 'POST /api/v1/test-reports',
        refuseMediaType: (type) =>
          type?.startsWith('multipart/')
            ? `a multipart form (${type}) is not read; send the report itself as the body (curl --data-binary @report.xml, not -F)`
            : undefined,
      }),
    },
    async (request, reply) => {
      const query = parseWith(TestReportQuery, request.query, 'query');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const at = now().toISOString();
      const implausible =
        query.run.startedAt === undefined
          ? undefined
          : implausibleTime('query.startedAt', query.run.startedAt, at);
      if (implausible !== undefined) throw new CandorError('invalid-input', implausible);
      const run = await resolveRun({ flags: query.run, env: {}, now: at });
      const file = await ingestReport(store, {
        run,
        source: bufferSource(query.path ?? 'request body', body),
        format: query.format,
        allowEmpty: query.allowEmpty,
        now: at,
      });
      const summary = { run: run.id, files: [file], totals: sumFiles([file]) };
      if (file.errors.length > 0) {
        return reply.code(422).send({
          error: { code: 'invalid-report', message: describeProblem(file.errors[0]) },
          ...summary,
        });
      }
      return reply.code(file.duplicate ? 200 : 201).send(summary);
    },
  );
}
