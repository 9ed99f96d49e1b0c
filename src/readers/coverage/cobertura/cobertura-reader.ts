import { emptyCoverageReport, fileLines, recordLine } from '../../../core/coverage/coverage-report.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import type { CoverageReader } from '../coverage-reader.ts';
import { readCoverageXml } from '../read-coverage-xml.ts';

/**
 * Cobertura XML (coverage-04.dtd; coverage.py, pytest-cov, Istanbul's cobertura reporter,
 * coverlet, gcovr): `<sources><source>` roots, `<class filename>` with `<lines><line number hits>`.
 * Only class-level lines count (method-level `<lines>` repeat them); classes sharing a file are
 * merged. `line-rate` and the other counters are ignored. Streamed with saxes.
 */
export const coberturaReader = {
  id: 'cobertura',
  description: 'Cobertura XML (coverage.xml: sources, classes, lines)',
  detectHint: 'Cobertura XML (a <coverage> root with <packages>)',
  detect: (head) => /<coverage[\s>]/.test(head) && !/<report[\s>]/.test(head),
  async read(lines) {
    const report = emptyCoverageReport();
    let file: string | undefined;
    let source: string[] | undefined;
    const read = await readCoverageXml(lines, {
      roots: ['coverage'],
      format: 'Cobertura XML',
      open(tag, ancestors, stop) {
        const parent = ancestors.at(-1);
        if (tag.name === 'source') source = [];
        else if (tag.name === 'class') {
          file = tag.attributes['filename'];
          if (file === undefined || file === '') stop('a <class> without a filename');
          else fileLines(report, file);
        } else if (tag.name === 'line' && parent === 'lines' && ancestors.at(-2) === 'class') {
          const number = Number(tag.attributes['number']);
          const hits = Number(tag.attributes['hits']);
          if (!Number.isInteger(number) || number < 1 || !Number.isFinite(hits) || hits < 0)
            stop(`a <line> needs number ≥ 1 and hits ≥ 0 (got number="${tag.attributes['number'] ?? ''}" hits="${tag.attributes['hits'] ?? ''}")`);
          if (file !== undefined) recordLine(report, file, number, hits);
        }
      },
      text(text, ancestors) {
        if (ancestors.at(-1) === 'source') source?.push(text);
      },
      close(name) {
        if (name !== 'source' || source === undefined) return;
        const root = source.join('').trim();
        // Tools write placeholder roots (`--dummy`); they are tried and never match.
        if (root !== '') report.roots.push(root.replace(/\\/g, '/').replace(/\/$/, ''));
        source = undefined;
      },
    });
    if (!read.ok) return read;
    return report.files.size === 0
      ? fail({ message: 'no <class> with a filename: nothing covered', line: 1, column: 1 })
      : ok(report);
  },
} satisfies CoverageReader;

