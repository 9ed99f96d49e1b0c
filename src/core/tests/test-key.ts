import type { ReportedTest } from './test-model.ts';

/** The name a test case without a name is keyed by (with an occurrence number, ADR 15). */
export const unnamedTestName = '(unnamed)';

/**
 * The classname Node's `node --test` JUnit reporter writes for tests outside any `describe` (and,
 * on Node 20, for every test): a placeholder, not a place.
 */
const nodeTestPlaceholder = 'test';
/** A module constant: a regular expression literal is a new object each time it is evaluated. */
const whitespace = /\s/;

/**
 * The readable, stable key of a test (docs/adr/0015): its place, then its name,
 * `<place>::<name>`, where the place is, in this order and each only when it adds something:
 *
 * - the `file` (repository-relative, made so at ingest);
 * - the suite path joined by ` > `, only when the classname does not name the place (CTRF has no
 *   classname; jest-junit and mocha repeat the title in it; Node writes a placeholder) and it
 *   adds something: without the levels that repeat the file, and not when the name or the
 *   classname begins with it;
 * - the classname, a place when it has no spaces (pytest, Java, .NET, Go), unless it repeats the
 *   file (Vitest, Playwright) or the name or its end (jest-junit, mocha),
 *   is Node's placeholder `test`, or is the file's module path (pytest's xunit1
 *   `tests.test_x.TestY` beside `tests/test_x.py` leaves `TestY`, so the key is the node id).
 *
 * A test case without a name is `(unnamed)`. `occurrence` (from 2) marks a further test case of
 * one identity in one report that is not a retry: ` #2`. ` [<variant>]` ends the key when the
 * run has a variant. Never throws.
 */
export function testKey(
  test: Pick<ReportedTest, 'name' | 'classname' | 'file' | 'suitePath'>,
  variant?: string,
  occurrence = 1,
): string {
  const name = nonEmpty(test.name) === undefined ? unnamedTestName : test.name;
  const scope = testPlace(test);
  let key = scope === '' ? name : `${scope}::${name}`;
  if (occurrence > 1) key += ` #${occurrence}`;
  return variant ? `${key} [${variant}]` : key;
}

/** The place part of a test's key (see `testKey`); '' when the report names none. */
export function testPlace(
  test: Pick<ReportedTest, 'name' | 'classname' | 'file' | 'suitePath'>,
): string {
  const file = nonEmpty(test.file);
  let classname = nonEmpty(test.classname);
  // Whether the classname names the place (pytest's module path, a Java or .NET class, a Go
  // package), so that the suite cannot add anything.
  let classnameIsPlace = false;
  if (classname !== undefined) {
    if (
      classname === test.name ||
      test.name.endsWith(` ${classname}`) ||
      (file !== undefined && (file === classname || file.endsWith(`/${classname}`)))
    )
      classname = undefined;
    else if (classname === nodeTestPlaceholder && (file !== undefined || test.suitePath.length > 0))
      classname = undefined;
    else {
      classnameIsPlace = !whitespace.test(classname);
      if (file !== undefined) classname = withoutModulePath(classname, file);
    }
  }
  const parts: string[] = [];
  if (file !== undefined) parts.push(file);
  // The suite names the place only when nothing better does: no classname (CTRF), a classname
  // that only repeats the name (jest-junit, mocha) or Node's placeholder, or a title as classname
  // and no file.
  if (!classnameIsPlace && (classname === undefined || file === undefined)) {
    const base = file?.slice(file.lastIndexOf('/') + 1);
    const suite = test.suitePath
      .filter((level) => level.trim() !== '' && level !== file && level !== base)
      .join(' > ');
    const repeated =
      suite === '' ||
      suite === classname ||
      (classname !== undefined && startsWithWord(classname, suite)) ||
      startsWithWord(test.name, suite) ||
      startsWithWord(test.name, suite.split(' > ').join(' '));
    if (!repeated) parts.push(suite);
  }
  if (classname !== undefined) parts.push(classname);
  return parts.join('::');
}

function startsWithWord(text: string, prefix: string): boolean {
  return text.startsWith(`${prefix} `) || text.startsWith(`${prefix}.`);
}

/** `tests.test_x.TestY` beside `tests/test_x.py` → `TestY`; undefined when nothing is left. */
function withoutModulePath(classname: string, file: string): string | undefined {
  const module = file.replace(/\.[^./]+$/, '').replace(/\//g, '.');
  if (classname === module) return undefined;
  return classname.startsWith(`${module}.`) ? classname.slice(module.length + 1) : classname;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
