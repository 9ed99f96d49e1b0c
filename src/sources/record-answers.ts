import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CandorError } from '../core/lib/candor-error.ts';
import { messageOf } from '../core/lib/message-of.ts';
import type { SourceClient } from './metric-source.ts';
import { recordedQueryFile, recordedRequestFile } from './recorded-query.ts';

/**
 * `--record DIR`: a client that answers as `client` does and saves every answer's body, exactly
 * as the source returned it, to `DIR/<hash>.json` (the file the `file` source replays), with the
 * request beside it in `<hash>.request.json`. Problems are not recorded: a replay of a query the
 * source could not answer is `not-recorded`, so it stays inconclusive. Creates `dir` when
 * absent. Throws CandorError `io` when a file cannot be written (a recording with holes would
 * replay differently).
 */
export function recordAnswers(client: SourceClient, dir: string): SourceClient {
  return {
    location: client.location,
    query: async (request, signal) => {
      const answer = await client.query(request, signal);
      if (!answer.ok) return answer;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, recordedQueryFile(request)), answer.value.body);
        writeFileSync(
          join(dir, recordedRequestFile(request)),
          `${JSON.stringify({ source: client.location, request }, null, 2)}\n`,
        );
      } catch (error) {
        throw new CandorError('io', `cannot record into ${dir}: ${messageOf(error)}`, {
          cause: error,
        });
      }
      return answer;
    },
  };
}
