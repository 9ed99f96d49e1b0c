import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CandorError } from '../core/lib/candor-error.ts';
import { HttpError } from './http-error.ts';

/** What a route takes as a request body. */
export type BodyPolicy = {
  /** Largest body in bytes, counted as received (before any parsing). */
  limitBytes: number;
  /** The `candor serve` flag that sets the limit, named in the 413 message. */
  limitFlag: string;
  /** The route, e.g. `POST /api/v1/events`, named in messages. */
  route: string;
  /**
   * Returns why a media type (lower case, without parameters; `undefined` when the request has
   * no Content-Type) is refused, or `undefined` to accept it.
   */
  refuseMediaType: (mediaType: string | undefined) => string | undefined;
};

/** `10 MiB`, `64 KiB` or `1500 bytes`, for messages. */
export function formatByteSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The media type of a request (lower case, no parameters), or undefined without Content-Type. */
export function mediaTypeOf(request: FastifyRequest): string | undefined {
  const header = request.headers['content-type'];
  if (header === undefined) return undefined;
  return header.split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * A `preParsing` hook, the last one of its route, that applies a {@link BodyPolicy} before a byte
 * of the body is read: a Content-Encoding other than identity or a refused media type is 415
 * (HttpError `unsupported-media-type`), a Content-Length over the limit is 413 (CandorError
 * `payload-too-large` naming the limit and its flag). A body without a length (chunked) is
 * counted as it streams and cut off at the first chunk over the limit with the same 413. Only
 * then does it answer `Expect: 100-continue`, so a client that asks first never sends a refused
 * body. The source stream is paused, never destroyed, so the error can still be answered.
 */
export function guardBody(policy: BodyPolicy) {
  const tooLarge = (what: string) =>
    new CandorError(
      'payload-too-large',
      `${what}; ${policy.route} accepts at most ${formatByteSize(policy.limitBytes)} (candor serve ${policy.limitFlag} <MiB>)`,
    );
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: Readable,
  ): Promise<Readable> => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      throw new HttpError(
        'unsupported-media-type',
        `Content-Encoding "${encoding}" is not supported on ${policy.route}; send the body uncompressed`,
      );
    }
    const refusal = policy.refuseMediaType(mediaTypeOf(request));
    if (refusal !== undefined) throw new HttpError('unsupported-media-type', refusal);
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) > policy.limitBytes) {
      throw tooLarge(`the body is ${Number(declared).toLocaleString('en-US')} bytes`);
    }
    if (request.headers.expect?.toLowerCase() === '100-continue') reply.raw.writeContinue();
    return countBytes(payload, policy.limitBytes, () =>
      tooLarge(`the body is larger than ${formatByteSize(policy.limitBytes)}`),
    );
  };
}

/** A copy of `source` that fails with `tooLarge()` at the first chunk past `limit` bytes. */
function countBytes(source: Readable, limit: number, tooLarge: () => Error): Readable {
  const counted = new PassThrough();
  let received = 0;
  const stop = (): void => {
    source.off('data', onData);
    source.off('end', onEnd);
    source.off('error', onError);
    source.off('close', onClose);
    counted.off('drain', onDrain);
    counted.off('close', onCountedClose);
  };
  const onData = (chunk: Buffer | string): void => {
    received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (received > limit) {
      stop();
      // Paused, not destroyed: the socket must stay open for the 413.
      source.pause();
      counted.destroy(tooLarge());
      return;
    }
    if (!counted.write(chunk)) source.pause();
  };
  const onDrain = (): void => {
    source.resume();
  };
  const onEnd = (): void => {
    stop();
    counted.end();
  };
  const onError = (error: Error): void => {
    stop();
    counted.destroy(error);
  };
  // The client went away before the end of the body.
  const onClose = (): void => {
    stop();
    counted.destroy(new CandorError('invalid-input', 'the request body ended early'));
  };
  // The reader gave up (a parse error): leave the rest of the body unread.
  const onCountedClose = (): void => {
    stop();
    source.pause();
  };
  source.on('data', onData);
  source.once('end', onEnd);
  source.once('error', onError);
  source.once('close', onClose);
  counted.on('drain', onDrain);
  counted.once('close', onCountedClose);
  return counted;
}
