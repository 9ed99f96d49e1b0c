import type { AnyGateCondition } from './gate-condition.ts';
import { canaryCondition } from './canary/canary-condition.ts';
import { chaosCondition } from './chaos/chaos-condition.ts';
import { contractsCondition } from './contracts/contracts-condition.ts';
import { coverageCondition } from './coverage/coverage-condition.ts';
import { drillCondition } from './drill/drill-condition.ts';
import { flagsCondition } from './flags/flags-condition.ts';
import { eventsCondition } from './events/events-condition.ts';
import { findingsCondition } from './findings/findings-condition.ts';
import { migrationsCondition } from './migrations/migrations-condition.ts';
import { mutationCondition } from './mutation/mutation-condition.ts';
import { policyCondition } from './policy/policy-condition.ts';
import { sbomCondition } from './sbom/sbom-condition.ts';
import { sonarqubeCondition } from './sonarqube/sonarqube-condition.ts';
import { signatureCondition } from './signature/signature-condition.ts';
import { secretsCondition } from './secrets/secrets-condition.ts';
import { testsCondition } from './tests/tests-condition.ts';
import { todoCondition } from './todo/todo-condition.ts';
import { vulnerabilitiesCondition } from './vulnerabilities/vulnerabilities-condition.ts';

/**
 * Every kind of gate condition candor.yml accepts under `gates:`, in the order `candor config
 * schema` and the docs list them. Adding a kind is one folder in src/gates/ and one line here;
 * the checklist schema (src/config/gates-config.ts) is built from this registry.
 */
export const gateConditions = {
  tests: testsCondition,
  coverage: coverageCondition,
  todo: todoCondition,
  findings: findingsCondition,
  vulnerabilities: vulnerabilitiesCondition,
  sbom: sbomCondition,
  policy: policyCondition,
  secrets: secretsCondition,
  drill: drillCondition,
  canary: canaryCondition,
  chaos: chaosCondition,
  migrations: migrationsCondition,
  mutation: mutationCondition,
  sonarqube: sonarqubeCondition,
  contracts: contractsCondition,
  flags: flagsCondition,
  events: eventsCondition,
  signature: signatureCondition,
} satisfies Record<string, AnyGateCondition>;

export type GateConditionKind = keyof typeof gateConditions;

/** The kinds, in registry order. */
export const gateConditionKinds = Object.keys(gateConditions) as GateConditionKind[];

/** True when `kind` names a registered condition. Never throws. */
export function isGateConditionKind(kind: string): kind is GateConditionKind {
  return Object.hasOwn(gateConditions, kind);
}
