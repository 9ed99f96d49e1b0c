import type { FastifyInstance } from 'fastify';
import { checkHealth } from '../../app/health.ts';
import type { Store } from '../../store/open-store.ts';

/** GET /healthz, without a token: `{"status":"ok"}`, 503 `{"status":"unavailable"}`. */
export async function healthRoute(app: FastifyInstance, options: { store: Store }) {
  app.get('/healthz', async (_request, reply) => {
    const status = await checkHealth(options.store);
    return status === 'ok' ? { status } : reply.code(503).send({ status });
  });
}
