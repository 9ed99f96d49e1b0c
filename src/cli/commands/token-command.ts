import { Command, InvalidArgumentError } from 'commander';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { apiScopes, isApiScope, type ApiScope } from '../../core/access/api-scope.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { listApiTokens, revokeApiToken } from '../../store/repositories/tokens/api-token.repository.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { renderTable } from '../render-table.ts';

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
  return [...(previous ?? []), ...(scopes as ApiScope[])];
}

export function tokenCommand(context: CliContext, setExitCode: (code: number) => void): Command {
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
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .action(async (options: { scope?: ApiScope[]; name: string; db?: string; json?: boolean }) => {
      const scopes = [...new Set<ApiScope>(options.scope ?? ['read'])];
      const created = await withStore(context, options.db, (store) =>
        createApiToken(store, { name: options.name, scopes, now: context.now().toISOString() }),
      );
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify({ id: created.id, token: created.secret, scopes })}\n`,
        );
      } else {
        context.stdout.write(`${created.secret}\n`);
        context.stderr.write(
          `token ${created.id} (${scopes.join(', ')}): store the secret now, it is not shown again\n`,
        );
      }
      setExitCode(exitCodes.ok);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .option('--json', 'print JSON: {"tokens": [{id, name, scopes, createdAt, revokedAt}]}')
    .action(async (options: { db?: string; json?: boolean }) => {
      const tokens = await withStore(context, options.db, (store) => listApiTokens(store.db));
      if (options.json) {
        const json = tokens.map((t) => ({
          id: t.id,
          name: t.name,
          scopes: t.scopes,
          createdAt: t.createdAt,
          revokedAt: t.revokedAt,
        }));
        context.stdout.write(`${JSON.stringify({ tokens: json })}\n`);
      } else {
        context.stdout.write(
          renderTable(
            ['id', 'name', 'scopes', 'created', 'revoked'],
            tokens.map((t) => [t.id, t.name, t.scopes.join(','), t.createdAt, t.revokedAt]),
          ),
        );
      }
      setExitCode(exitCodes.ok);
    });
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .action(async (id: string, options: { db?: string }) => {
      const revoked = await withStore(context, options.db, (store) =>
        revokeApiToken(store.db, id, context.now().toISOString()),
      );
      if (!revoked) throw new CandorError('not-found', `no active token has the id "${id}"`);
      context.stdout.write(`revoked ${id}\n`);
      setExitCode(exitCodes.ok);
    });
  return token;
}
