/** `api_tokens`: tokens of `candor serve`; the secret itself is shown once and never stored. */
export type ApiTokenTable = {
  id: string;
  name: string;
  /** Distinct scopes, sorted, comma-separated (`read,write`). */
  scopes: string;
  /** sha256 of the secret, hex. */
  secret_sha256: string;
  created_at: string;
  revoked_at: string | null;
};
