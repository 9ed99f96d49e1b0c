import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { isCandorError, type CandorErrorCode } from '../core/candor-error.ts';
import type { Store } from '../store/open-store.ts';
import { doraRoute } from './routes/dora-route.ts';
import { eventsRoute } from './routes/events-route.ts';
import { metricsRoute } from './routes/metrics-route.ts';
import { runsRoute } from './routes/runs-route.ts';
import { testReportsRoute } from './routes/test-reports-route.ts';

export type ServerOptions = {
  store: Store;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  logger: FastifyServerOptions['logger'];
  now: () => Date;
};

const statusByCode: Record<CandorErrorCode, number> = {
  usage: 400,
  'invalid-input': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'limit-exceeded': 422,
  database: 503,
  io: 500,
  internal: 500,
};

/**
 * The HTTP API. Stateless beyond the store, so several processes can share one PostgreSQL.
 * Errors are `{ "error": { "code", "message" } }`; 5xx messages hide internals.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes,
  });

  app.setErrorHandler((error, request, reply) => {
    let status: number;
    let code: string;
    let message: string;
    if (isCandorError(error)) {
      status = statusByCode[error.code];
      code = error.code;
      message = error.message;
    } else {
      const fastifyError = error as { statusCode?: number; code?: string; message?: string };
      status =
        fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400
          ? fastifyError.statusCode
          : 500;
      code =
        status === 413
          ? 'payload-too-large'
          : status === 415
            ? 'unsupported-media-type'
            : status < 500
              ? 'invalid-request'
              : 'internal';
      message = fastifyError.message ?? 'request failed';
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      message = status === 503 ? 'the database is unavailable' : 'internal error';
    }
    void reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: {
        code: 'not-found',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
      },
    });
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      await options.store.db.selectFrom('candor_migration').select('name').limit(1).execute();
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  await app.register(runsRoute, { store: options.store });
  await app.register(testReportsRoute, { store: options.store, now: options.now });
  await app.register(eventsRoute, { store: options.store, now: options.now });
  await app.register(doraRoute, { store: options.store, now: options.now });
  await app.register(metricsRoute, { store: options.store, now: options.now });
  return app;
}
