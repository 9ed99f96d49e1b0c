import type { Env } from './ci-environment.ts';

/**
 * A reader of CI variables: `get(name)` is the value trimmed, or undefined when the variable is
 * unset or blank (CI services export empty variables for what does not apply). Never throws.
 */
export function ciVariables(env: Env): (name: string) => string | undefined {
  return (name) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
}

/** The parts joined with `/`, or undefined when any is missing. Never throws. */
export function joinDefined(...parts: (string | undefined)[]): string | undefined {
  return parts.every((p) => p !== undefined) ? parts.join('/') : undefined;
}
