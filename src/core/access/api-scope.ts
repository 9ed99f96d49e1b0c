/** What a token may do. `admin` may do everything. */
export const apiScopes = ['ingest', 'read', 'admin', 'canary'] as const;
export type ApiScope = (typeof apiScopes)[number];

/** True when `value` names a scope (`ingest`, `read`, `admin`). Never throws. */
export function isApiScope(value: string): value is ApiScope {
  return (apiScopes as readonly string[]).includes(value);
}

/** True when a token with `granted` scopes may act with `required`. */
export function hasScope(granted: readonly ApiScope[], required: ApiScope): boolean {
  return granted.includes('admin') || granted.includes(required);
}
