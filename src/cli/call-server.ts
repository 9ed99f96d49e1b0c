import type { z } from 'zod';
import { CandorError, candorErrorCodes, type CandorErrorCode } from '../core/lib/candor-error.ts';
import type { CliContext } from './cli-context.ts';

/** A read of `candor serve`'s API, as a command with `--server` makes it (docs/adr/0019). */
export type ServerRead = {
  method: 'GET' | 'POST';
  /** The route's path, e.g. `/api/v1/flaky`, resolved against the `--server` URL. */
  path: string;
  /** Query parameters under the route's names (the contract's); undefined ones are left out. */
  query: Record<string, string | undefined>;
  /** A JSON body (POST only). */
  body?: unknown;
};

/** How long a read may take before the CLI gives up on the server: 5 minutes. */
export const serverTimeoutMs = 5 * 60_000;

/**
 * Sends a read to the candor server at `server` with the bearer token of `$CANDOR_TOKEN` and
 * returns the answer when it is 2xx (its body unread, so a large one can be streamed).
 * Throws CandorError: `unauthorized` without `$CANDOR_TOKEN`; `usage` for a `--server` that is
 * not an http(s) URL; `io` when the server cannot be reached, answers late (5 minutes) or
 * redirects; otherwise the code the server answered with (`unauthorized`, `forbidden`,
 * `not-found`, `invalid-input`, `database`, …; `io` for codes only HTTP has) and its message,
 * so the exit code is the one the same failure has locally.
 */
export async function callServer(
  context: CliContext,
  server: string,
  read: ServerRead,
): Promise<Response> {
  const token = context.env['CANDOR_TOKEN'];
  if (token === undefined || token.trim() === '')
    throw new CandorError(
      'unauthorized',
      '--server needs a token: set CANDOR_TOKEN to a token with the "read" scope (candor token create --scope read)',
    );
  const url = serverUrl(server, read.path);
  for (const [name, value] of Object.entries(read.query))
    if (value !== undefined) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(url, {
      method: read.method,
      headers: {
        authorization: `Bearer ${token.trim()}`,
        accept: 'application/json',
        ...(read.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(read.body === undefined ? {} : { body: JSON.stringify(read.body) }),
      // A redirect could carry the token elsewhere: refuse it.
      redirect: 'error',
      signal: AbortSignal.timeout(serverTimeoutMs),
    });
  } catch (error) {
    throw new CandorError(
      'io',
      `cannot reach the candor server at ${url.origin}: ${describeFetchFailure(error)}`,
      { cause: error },
    );
  }
  if (response.ok) return response;
  const answer = await readAnswer(response);
  const code: CandorErrorCode =
    answer.code !== undefined && (candorErrorCodes as readonly string[]).includes(answer.code)
      ? (answer.code as CandorErrorCode)
      : 'io';
  const message = answer.message ?? `HTTP ${response.status}`;
  // Failures of the connection or the server name it; a refused input reads as it would locally.
  const named =
    code === 'invalid-input' || code === 'not-found' || code === 'limit-exceeded'
      ? message
      : `the candor server at ${url.origin} answered ${response.status}: ${message}`;
  throw new CandorError(code, named);
}

/**
 * The JSON body of a 2xx answer, checked with a contract schema and returned as sent (its keys in
 * the server's order, so printing it prints what the command prints locally): use schemas that
 * do not transform. Throws CandorError `io`.
 */
export async function readServerJson<S extends z.ZodType>(
  response: Response,
  schema: S,
): Promise<z.input<S>> {
  let value: unknown;
  try {
    value = await response.json();
  } catch (error) {
    throw new CandorError('io', `the candor server answered with invalid JSON`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return value as z.input<S>;
  throw new CandorError(
    'io',
    `the candor server answered with JSON this candor does not read (${parsed.error.issues[0]?.message ?? 'invalid'}): is it another version?`,
  );
}

/** Writes a 2xx answer's body as it arrives (a large `flaky --json` is never held). */
export async function pipeServerBody(
  response: Response,
  out: { write(text: string): unknown },
): Promise<void> {
  if (response.body === null) return;
  const decoder = new TextDecoder();
  const body: ReadableStream<Uint8Array> = response.body;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.write(decoder.decode(value, { stream: true }));
  }
  const rest = decoder.decode();
  if (rest !== '') out.write(rest);
}

/** `--server` plus a route path; a base path in the URL is kept (`https://ci/candor/`). */
function serverUrl(server: string, path: string): URL {
  let base: URL;
  try {
    base = new URL(server.endsWith('/') ? server : `${server}/`);
  } catch {
    throw new CandorError(
      'usage',
      `--server: expected an http:// or https:// URL, got "${server}"`,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new CandorError(
      'usage',
      `--server: expected an http:// or https:// URL, got "${server}"`,
    );
  if (base.username !== '' || base.password !== '')
    throw new CandorError('usage', '--server: put the token in CANDOR_TOKEN, not in the URL');
  return new URL(path.replace(/^\//, ''), base);
}

async function readAnswer(response: Response): Promise<{ code?: string; message?: string }> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    return {
      ...(typeof body.error?.code === 'string' ? { code: body.error.code } : {}),
      ...(typeof body.error?.message === 'string' ? { message: body.error.message } : {}),
    };
  } catch {
    return {};
  }
}

/** Why fetch failed, from the error's name and its cause's code (never from a message). */
function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no answer within ${serverTimeoutMs / 60_000} minutes`;
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
