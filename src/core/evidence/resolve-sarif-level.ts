import { sarifLevels, type SarifLevel } from './finding.ts';

/** A reporting descriptor (a rule) as far as its level matters. */
export type SarifRule = { id?: string | undefined; defaultLevel?: string | undefined };

/** Where a result's rule is found: the driver's rules and each extension's. */
export type SarifRules = {
  driver: readonly SarifRule[];
  extensions: readonly (readonly SarifRule[])[];
  /** `invocations[].ruleConfigurationOverrides`: a level for a rule, by descriptor reference. */
  overrides: readonly {
    id?: string | undefined;
    index?: number | undefined;
    toolComponent?: number | undefined;
    level?: string | undefined;
  }[];
};

/** The properties of a SARIF result that decide its level. */
export type SarifLevelInput = {
  kind?: string | undefined;
  level?: string | undefined;
  ruleId?: string | undefined;
  ruleIndex?: number | undefined;
  rule?:
    | { id?: string | undefined; index?: number | undefined; toolComponent?: number | undefined }
    | undefined;
};

function asLevel(value: string | undefined): SarifLevel | undefined {
  return (sarifLevels as readonly string[]).includes(value ?? '')
    ? (value as SarifLevel)
    : undefined;
}

/**
 * The level of a SARIF result by SARIF 2.1.0 §3.27.10: a `kind` other than `fail` is `none`;
 * else `result.level`; else the rule's configuration (a `ruleConfigurationOverrides` entry of an
 * invocation, then the rule's `defaultConfiguration.level`), the rule found by
 * `rule.toolComponent` (an extension) and `rule.index`/`ruleIndex`, else by `rule.id`/`ruleId`;
 * else `warning`. A level that is not one of the four words counts as absent. Never throws.
 */
export function resolveSarifLevel(result: SarifLevelInput, rules: SarifRules): SarifLevel {
  if (result.kind !== undefined && result.kind !== 'fail') return 'none';
  const own = asLevel(result.level);
  if (own !== undefined) return own;
  const component = result.rule?.toolComponent;
  const list = component === undefined ? rules.driver : (rules.extensions[component] ?? []);
  const index = result.rule?.index ?? result.ruleIndex;
  const id = result.rule?.id ?? result.ruleId;
  const position =
    index !== undefined && index >= 0 && index < list.length
      ? index
      : id === undefined
        ? -1
        : list.findIndex((rule) => rule.id === id);
  const descriptor = position === -1 ? undefined : list[position];
  const override = rules.overrides.find(
    (entry) =>
      entry.toolComponent === component &&
      ((entry.index !== undefined && entry.index === position) ||
        (entry.id !== undefined && entry.id === (descriptor?.id ?? id))),
  );
  return asLevel(override?.level) ?? asLevel(descriptor?.defaultLevel) ?? 'warning';
}
