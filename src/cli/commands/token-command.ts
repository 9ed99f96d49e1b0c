import { Command, InvalidArgumentError } from 'commander';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { listApiTokens } from '../../app/tokens/list-api-tokens.ts';
import { revokeApiToken } from '../../app/tokens/revoke-api-token.ts';
import type { CreatedApiToken } from '../../contracts/api-tokens.ts';
import { apiScopes, isApiScope, type ApiScope } from '../../core/access/api-scope.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeApiTokens } from '../documents/describe-api-tokens.ts';
import { describeMessage } from '../documents/describe-message.ts';
import { withStore } from '../open-cli-store.ts';
import { dbOption, jsonOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/**
 * One `--scope` value (comma-separated scopes) added to those of earlier `--scope` flags. Not
 * variadic, so `--scope` never swallows the flags after it; a value that is a flag (a forgotten
 * scope, as in `--scope --db x.db`) or an unknown scope throws commander's InvalidArgumentError
 * (exit 2).
 */
export function collectScopes(value: string, previous: ApiScope[] | undefined): ApiScope[] {
  const expected = `expected ${apiScopes.join(', ')} (comma-separated, or --scope again)`;
  if (value.startsWith('-')) {
    throw new InvalidArgumentError(`${expected}; "${value}" is a flag: is the scope missing?`);
  }
  const scopes = value.split(',').map((s) => s.trim());
  const bad = scopes.filter((s) => !isApiScope(s));
  if (bad.length > 0)
    throw new InvalidArgumentError(`unknown scope "${bad.join('", "')}"; ${expected}`);
  return [...(previous ?? []), ...scopes.filter(isApiScope)];
}

/** `candor token create|list|revoke` (README "candor token"). */
export const tokenCommand: CommandFactory = (context, setExitCode) => {
  const token = new Command('token').description('manage API tokens for `candor serve`');
  token
    .command('create')
    .description('create a token and print its secret once')
    .option(
      '--scope <scopes>',
      `scopes: ${apiScopes.join(', ')}; comma-separated or repeated (default: read)`,
      collectScopes,
    )
    .option('--name <name>', 'a label for the token', 'token')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (options: { scope?: ApiScope[]; name: string; db?: string; json?: boolean }) => {
      const scopes = [...new Set<ApiScope>(options.scope ?? ['read'])];
      const created = await withStore(context, options.db, (store) =>
        createApiToken(store, { name: options.name, scopes, now: context.now().toISOString() }),
      );
      if (options.json) {
        const json: CreatedApiToken = { id: created.id, token: created.secret, scopes };
        context.stdout.write(`${JSON.stringify(json)}\n`);
      } else {
        // The secret alone on standard output, for `$(candor token create)`.
        context.stdout.write(`${created.secret}\n`);
        writeDocument(
          context.stderr,
          describeMessage(
            `token ${created.id} (${scopes.join(', ')}): store the secret now, it is not shown again`,
          ),
        );
      }
      setExitCode(exitCodes.ok);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .addOption(dbOption())
    .addOption(jsonOption('print JSON: {"tokens": [{id, name, scopes, createdAt, revokedAt}]}'))
    .action(async (options: { db?: string; json?: boolean }) => {
      const list = await withStore(context, options.db, (store) => listApiTokens(store));
      if (options.json) context.stdout.write(`${JSON.stringify(list)}\n`);
      else writeDocument(context.stdout, describeApiTokens(list));
      setExitCode(exitCodes.ok);
    });
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>')
    .addOption(dbOption())
    .action(async (id: string, options: { db?: string }) => {
      await withStore(context, options.db, (store) =>
        revokeApiToken(store, id, context.now().toISOString()),
      );
      writeDocument(context.stdout, describeMessage(`revoked ${id}`));
      setExitCode(exitCodes.ok);
    });
  return token;
};
