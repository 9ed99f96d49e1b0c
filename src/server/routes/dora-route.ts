import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildDoraReport } from '../../app/delivery/build-dora-report.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { parseWindow } from '../../core/lib/parse-window.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';

/** Query parameters of GET /api/v1/dora: the flags of `candor dora`. */
export const DoraQuery = z.object({
  window: z.string().default('30d'),
  service: z.string().min(1).optional(),
  env: z.string().min(1).default('production'),
  team: z.string().min(1).optional(),
  incidentWindow: z.string().default('24h'),
});

/** GET /api/v1/dora: the same JSON as `candor dora --json`. */
export async function doraRoute(app: FastifyInstance, options: { store: Store; now: () => Date }) {
  app.get('/api/v1/dora', { onRequest: requireScope(options.store, 'read') }, async (request) => {
    const query = parseWith(DoraQuery, request.query, 'query');
    const window = parseWindow(query.window);
    if (!window.ok)
      throw new CandorError('invalid-input', `query.window: ${window.errors[0] ?? ''}`);
    const incidentWindow = parseWindow(query.incidentWindow);
    if (!incidentWindow.ok)
      throw new CandorError(
        'invalid-input',
        `query.incidentWindow: ${incidentWindow.errors[0] ?? ''}`,
      );
    return buildDoraReport(options.store, {
      now: options.now(),
      windowMs: window.value,
      environment: query.env,
      incidentWindowMs: incidentWindow.value,
      service: query.service,
      team: query.team,
    });
  });
}
