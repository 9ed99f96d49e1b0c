/** Source file extensions a root-level file named without a folder can have. */
const sourceFile = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|cs|php|rs|swift|exs?)$/;

/**
 * The repository file a stored test belongs to, for CODEOWNERS and the like: its `file`, else its
 * classname, else its suite, when that looks like a file path (Vitest writes the file as the
 * classname; `split --by file` matches the same three). Undefined when none does. Never throws.
 */
export function testFileOf(test: {
  file: string | null;
  classname?: string | null | undefined;
  suite?: string | null | undefined;
}): string | undefined {
  if (test.file !== null && test.file !== '') return test.file;
  for (const candidate of [test.classname, test.suite]) {
    if (
      candidate &&
      !/\s/.test(candidate) &&
      (/\/[^/]+\.[A-Za-z0-9]+$/.test(candidate) || sourceFile.test(candidate))
    )
      return candidate;
  }
  return undefined;
}
