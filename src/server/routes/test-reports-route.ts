import type { FastifyInstance } from 'fastify';
import { ingestReport } from '../../app/ingest-report.ts';
import { sumFiles } from '../../app/ingest-reports.ts';
import { bufferSource } from '../../app/report-source.ts';
import { resolveRun } from '../../app/resolve-run.ts';
import type { ReportFormat } from '../../readers/readers.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { TestReportQuery } from '../http-schemas.ts';

/**
 * POST /api/v1/test-reports: one raw report per request (JUnit XML or CTRF JSON, any content
 * type), run metadata in the query. 201 with the ingest summary; 200 when the report was
 * already stored in that run; 422 with the summary when the report was rejected.
 */
export async function testReportsRoute(
  app: FastifyInstance,
  options: { store: Store; now: () => Date },
) {
  const { store, now } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post(
    '/api/v1/test-reports',
    { preHandler: requireScope(store, 'ingest') },
    async (request, reply) => {
      const query = parseWith(TestReportQuery, request.query, 'query');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const at = now().toISOString();
      const run = await resolveRun({
        flags: {
          runId: query.run,
          repo: query.repo,
          branch: query.branch,
          commitSha: query.commit,
          variant: query.variant,
          defaultBranch: query.defaultBranch,
          startedAt:
            query.startedAt === undefined ? undefined : new Date(query.startedAt).toISOString(),
          ciProvider: query.ciProvider,
          ciJob: query.ciJob,
          ciAttempt: query.ciAttempt,
          ciUrl: query.ciUrl,
        },
        env: {},
        now: at,
      });
      const file = await ingestReport(store, {
        run,
        source: bufferSource(query.path ?? 'request body', body),
        format: query.format as ReportFormat | 'auto',
        allowEmpty: query.allowEmpty,
        now: at,
      });
      const summary = { run: run.id, files: [file], totals: sumFiles([file]) };
      if (file.errors.length > 0) {
        const first = file.errors[0];
        const where =
          first?.line != null
            ? ` at ${first.line}:${first.column ?? 1}`
            : first?.path
              ? ` at ${first.path}`
              : '';
        return reply.code(422).send({
          error: {
            code: 'invalid-report',
            message: `${first?.message ?? 'the report was rejected'}${where}`,
          },
          ...summary,
        });
      }
      return reply.code(file.duplicate ? 200 : 201).send(summary);
    },
  );
}
