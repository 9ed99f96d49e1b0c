import { emptyCoverageReport, fileLines, recordLine } from '../../../core/coverage/coverage-report.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import type { CoverageReader } from '../coverage-reader.ts';
import { readCoverageXml } from '../read-coverage-xml.ts';

/**
 * JaCoCo XML (report.dtd; `jacoco:report`, Gradle's jacocoTestReport): `<package name="com/acme">`
 * holds `<sourcefile name="Foo.java">` with `<line nr mi ci mb cb>`; a line is covered when a
 * covered instruction (`ci`) is on it. The path is `<package>/<sourcefile>` (relative to a source
 * root such as src/main/java, which the coverage condition's `roots` names). Counters ignored.
 */
export const jacocoReader = {
  id: 'jacoco',
  description: 'JaCoCo XML (jacoco.xml: packages, sourcefiles, lines)',
  detectHint: 'JaCoCo XML (a <report> root, DOCTYPE report)',
  detect: (head) => /<!DOCTYPE report|<report[\s>]/.test(head),
  async read(lines) {
    const report = emptyCoverageReport();
    let pkg = '';
    let file: string | undefined;
    const read = await readCoverageXml(lines, {
      roots: ['report'],
      format: 'JaCoCo XML',
      open(tag, ancestors, stop) {
        if (tag.name === 'package') pkg = tag.attributes['name'] ?? '';
        else if (tag.name === 'sourcefile' && ancestors.at(-1) === 'package') {
          const name = tag.attributes['name'];
          if (name === undefined || name === '') return stop('a <sourcefile> without a name');
          file = pkg === '' ? name : `${pkg}/${name}`;
          fileLines(report, file);
        } else if (tag.name === 'line' && ancestors.at(-1) === 'sourcefile' && file !== undefined) {
          const nr = Number(tag.attributes['nr']);
          const ci = Number(tag.attributes['ci'] ?? '0');
          const mi = Number(tag.attributes['mi'] ?? '0');
          if (!Number.isInteger(nr) || nr < 1 || !(ci >= 0) || !(mi >= 0))
            stop(`a <line> needs nr ≥ 1 and ci, mi ≥ 0 (got nr="${tag.attributes['nr'] ?? ''}")`);
          recordLine(report, file, nr, ci);
        }
      },
      close(name) {
        if (name === 'sourcefile') file = undefined;
      },
    });
    if (!read.ok) return read;
    return report.files.size === 0
      ? fail({ message: 'no <sourcefile>: nothing covered (JaCoCo writes sourcefiles when sources are given)', line: 1, column: 1 })
      : ok(report);
  },
} satisfies CoverageReader;
