import type { ReportedTest } from './test-model.ts';

/**
 * The readable, stable key of a test:
 * `<classname>::<name>` when a classname is present, else `<file>::<name>`, else
 * `<suite path joined by " > ">::<name>`, else just `<name>`;
 * suffixed ` [<variant>]` when the run has a variant.
 * CTRF readers pass the file path as `file` and no classname, so CTRF keys are `<filePath>::<name>`.
 */
export function testKey(
  test: Pick<ReportedTest, 'name' | 'classname' | 'file' | 'suitePath'>,
  variant?: string,
): string {
  const scope =
    nonEmpty(test.classname) ?? nonEmpty(test.file) ?? nonEmpty(test.suitePath.join(' > '));
  const base = scope === undefined ? test.name : `${scope}::${test.name}`;
  return variant ? `${base} [${variant}]` : base;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
