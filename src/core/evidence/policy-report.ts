/** One message of a policy decision (a conftest failure or warning, an OPA violation). */
export type PolicyMessage = {
  message: string;
  /** The file the rule looked at, when known. */
  file?: string | undefined;
  line?: number | undefined;
};

/**
 * The outcome of policy evaluation (conftest `-o json`, an OPA decision): its failures and
 * warnings, and whether the decision was undefined (OPA answered without a `result`).
 */
export type PolicyReport = {
  engine: 'conftest' | 'opa';
  isUndefined: boolean;
  failures: PolicyMessage[];
  warnings: PolicyMessage[];
  /** Checks that passed (conftest `successes`; 1 for an OPA decision that allows). */
  successes: number;
};
