import { maxHeaderSize, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { isCandorError, type CandorErrorCode } from '../core/lib/candor-error.ts';
import type { CanaryServerSettings } from '../app/canary/canary-analyses.ts';
import type { Store } from '../store/open-store.ts';
import {
  defaultDiscardBudget,
  discardUnreadBody,
  hasUnreadBody,
  type DiscardBudget,
} from './discard-unread-body.ts';
import { formatByteSize } from './guard-body.ts';
import { HttpError } from './http-error.ts';
import { refuseUnknownQuery } from './query-parameters.ts';
import { routes, type RouteContext } from './routes/routes.ts';
import type { WebhookSecrets } from '../app/delivery/receive-webhook.ts';
import type { DashboardSettings } from './routes/dashboard-route.ts';
import type { WatchServerSettings } from '../app/watch/served-watches.ts';

/** Default of `candor serve --events-body-limit`: 10 MiB, about 10,000 events of 1 KiB. */
export const defaultEventsBodyLimitBytes = 10 * 1024 * 1024;

export type ServerOptions = {
  store: Store;
  /** Largest test report body accepted, in bytes (`--body-limit`). */
  bodyLimitBytes: number;
  /** Largest POST /api/v1/events body, in bytes (`--events-body-limit`); 10 MiB by default. */
  eventsBodyLimitBytes?: number;
  logger: FastifyServerOptions['logger'];
  now: () => Date;
  /** What is still read (and dropped) of a refused body before the connection closes. */
  discardBudget?: DiscardBudget;
  /** The secret of each webhook receiver to turn on (`webhookSecretsFromEnv`); none by default. */
  webhookSecrets?: WebhookSecrets;

  /** Canary analyses (`--config` with a `canary:` section); absent: their routes answer 404. */
  canary?: CanaryServerSettings | undefined;
  /** The dashboard's settings (`candor serve --public-dashboard`); absent: reads need a token. */
  dashboard?: DashboardSettings | undefined;
  /** Post-deploy watches (`--config` with `watch:` and `canary:`); absent: their routes answer 404. */
  watches?: WatchServerSettings | undefined;
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

/** Codes for statuses Fastify itself answers with (a bad Content-Length, a malformed URL). */
const codeByStatus: Record<number, string> = {
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/**
 * The HTTP API. Stateless beyond the store, so several processes can share one PostgreSQL.
 * Every error is `{ "error": { "code", "message" } }` (5xx messages hide internals), including
 * 404, 405 (a known path with another method, with `Allow`) and the ones Node answers before
 * Fastify sees a request (431 headers too large, 400 malformed HTTP). Tokens and body headers
 * are checked before a byte of the body is read; what a client still sends after such an answer
 * is dropped within `discardBudget`, then the connection closes.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const discardBudget = options.discardBudget ?? defaultDiscardBudget;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes,
    clientErrorHandler: answerClientError,
  });
  // Without this listener Node answers `Expect: 100-continue` itself before any check; with it,
  // guardBody answers only once the token and the body's headers passed.
  app.server.on('checkContinue', (request: IncomingMessage, response) => {
    app.server.emit('request', request, response);
  });

  // No body is parsed outside the routes that take one (each registers its own parser): an
  // unknown path or a wrong method is answered without reading a byte of the body.
  app.removeAllContentTypeParsers();

  app.setErrorHandler((error, request, reply) => {
    let status: number;
    let code: string;
    let message: string;
    if (isCandorError(error)) {
      status = statusByCode[error.code];
      code = error.code;
      message = error.message;
    } else if (error instanceof HttpError) {
      status = error.statusCode;
      code = error.code;
      message = error.message;
    } else {
      const fastifyError = error as { statusCode?: number; message?: string };
      status =
        fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400
          ? fastifyError.statusCode
          : 500;
      code = codeByStatus[status] ?? (status < 500 ? 'invalid-request' : 'internal');
      message = fastifyError.message ?? 'request failed';
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      message = status === 503 ? 'the database is unavailable' : 'internal error';
    }
    void reply.code(status).send({ error: { code, message } });
  });

  // Answered before the body was read (401, 403, 404, 405, 413, 415, a JSON body refused
  // part-way): keep Node from closing the socket the moment the answer is out (it would reset
  // the connection under a client still sending, which then never reads the answer), drop what
  // still arrives within the budget, then close unless the client wanted to keep it.
  const clientKeepsAlive = new WeakMap<IncomingMessage, boolean>();
  app.addHook('onSend', async (request, reply) => {
    if (!hasUnreadBody(request.raw)) return;
    clientKeepsAlive.set(request.raw, reply.raw.shouldKeepAlive);
    reply.raw.shouldKeepAlive = true;
    // Fastify asks to close after a parse error; discardUnreadBody closes instead.
    void reply.removeHeader('connection');
  });
  app.addHook('onResponse', async (request) => {
    const keepAlive = clientKeepsAlive.get(request.raw);
    if (keepAlive === undefined || !hasUnreadBody(request.raw)) return;
    discardUnreadBody(request.raw, { budget: discardBudget, keepAlive });
  });

  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsByPath.set(route.url, methods);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = methodsByPath.get(path);
    if (allowed) {
      const allow = [...allowed].sort().join(', ');
      return reply
        .code(405)
        .header('allow', allow)
        .send({
          error: {
            code: 'method-not-allowed',
            message: `${request.method} is not allowed on ${path}; use ${allow}`,
          },
        });
    }
    return reply.code(404).send({
      error: { code: 'not-found', message: `no route ${request.method} ${path}` },
    });
  });

  // After each route's token check, before its body is read: an unknown query parameter is a 400.
  app.addHook('preParsing', refuseUnknownQuery);

  const context: RouteContext = {
    store: options.store,
    now: options.now,
    bodyLimitBytes: options.bodyLimitBytes,
    eventsBodyLimitBytes: options.eventsBodyLimitBytes ?? defaultEventsBodyLimitBytes,
    webhookSecrets: options.webhookSecrets ?? {},

    canary: options.canary,
    dashboard: options.dashboard,
    watches: options.watches,
  };
  for (const route of routes) await app.register(route, context);
  return app;
}

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request, in the documented error
 * shape, and closes the connection. Never throws.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'header-too-large',
          `the request line and headers exceed ${formatByteSize(maxHeaderSize)}`,
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'the request did not arrive in time']
        : [400, 'invalid-request', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
