import { z } from 'zod';
import { apiScopes } from '../core/access/api-scope.ts';

/** A token as `candor token list --json` shows it: never its secret. */
export const ApiTokenEntry = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(apiScopes)),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenEntry = z.infer<typeof ApiTokenEntry>;

/** `candor token list --json`: oldest first. */
export const ApiTokenList = z.object({ tokens: z.array(ApiTokenEntry) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

/** `candor token create --json`: the secret, shown this once. */
export const CreatedApiToken = z.object({
  id: z.string(),
  token: z.string(),
  scopes: z.array(z.enum(apiScopes)),
});
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
