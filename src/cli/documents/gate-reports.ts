import { createHash } from 'node:crypto';
import type { GateConditionResult } from '../../app/gates/evaluate-checklist.ts';
import type { GateRun } from '../../app/gates/run-gate.ts';

/** The places a condition that did not pass points at: its locations, else its first evidence file. */
function placesOf(c: GateConditionResult, configPath: string) {
  if (c.locations.length > 0) return c.locations.slice(0, 50);
  return [{ file: c.evidence[0] ?? configPath, line: undefined, message: c.message }];
}

/** A GitHub workflow command's message: `%`, CR and LF escaped. */
const escapeData = (text: string) =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A workflow command's property value: also `:` and `,`. */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub Actions annotations (`::error file=…,line=…,title=…::message`), one per place a failing
 * (`error`) or warning (`warning`) condition points at. Never throws.
 */
export function githubAnnotations(run: GateRun, configPath: string): string {
  const lines: string[] = [];
  for (const c of run.conditions) {
    if (c.result === 'pass') continue;
    const command = c.result === 'fail' ? 'error' : 'warning';
    for (const place of placesOf(c, configPath)) {
      const properties = [
        `file=${escapeProperty(place.file)}`,
        ...(place.line === undefined ? [] : [`line=${place.line}`]),
        `title=${escapeProperty(`candor gate ${run.checklist}: ${c.name}`)}`,
      ];
      lines.push(`::${command} ${properties.join(',')}::${escapeData(place.message)}`);
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * GitLab's code quality report (a JSON array of issues: description, check_name, fingerprint,
 * severity, location.path and lines.begin), one issue per place a failing (`major`) or warning
 * (`minor`) condition points at. The fingerprint is stable across runs for the same finding.
 */
export function gitlabCodeQuality(run: GateRun, configPath: string): string {
  const issues = run.conditions.flatMap((c) =>
    c.result === 'pass'
      ? []
      : placesOf(c, configPath).map((place) => ({
          description: `${c.name}: ${place.message}`,
          check_name: `candor-gate-${run.checklist}-${c.kind}`,
          fingerprint: createHash('sha256')
            .update(
              JSON.stringify([
                run.checklist,
                c.name,
                place.file,
                place.line ?? null,
                place.message,
              ]),
            )
            .digest('hex'),
          severity: c.result === 'fail' ? 'major' : 'minor',
          location: { path: place.file, lines: { begin: place.line ?? 1 } },
        })),
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}

const escapeXml = (text: string) =>
  text
    // Characters XML 1.0 cannot hold at all.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * The checklist as JUnit XML, so any CI shows the conditions as tests: one `<testcase>` per
 * condition (classname `candor.gate.<checklist>`), a `<failure>` for `fail`, `<system-out>` with
 * the message for `pass` and `warn` (a warning is not a failure). Never throws.
 */
export function gateJunitXml(run: GateRun): string {
  const failures = run.conditions.filter((c) => c.result === 'fail').length;
  const cases = run.conditions.map((c) => {
    const attributes = `classname="${escapeXml(`candor.gate.${run.checklist}`)}" name="${escapeXml(c.name)}" time="0"`;
    const detail = [
      c.message,
      `value: ${String(c.value ?? '-')}, threshold: ${String(c.threshold ?? '-')}`,
      ...(c.evidence.length > 0 ? [`evidence: ${c.evidence.join(', ')}`] : []),
      ...c.locations
        .slice(0, 50)
        .map((l) => `${l.file}${l.line === undefined ? '' : `:${l.line}`}: ${l.message}`),
    ].join('\n');
    return c.result === 'fail'
      ? `    <testcase ${attributes}>\n      <failure message="${escapeXml(c.message)}" type="${escapeXml(c.kind)}">${escapeXml(detail)}</failure>\n    </testcase>`
      : `    <testcase ${attributes}>\n      <system-out>${escapeXml(`${c.result}: ${detail}`)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="candor gate" tests="${run.conditions.length}" failures="${failures}">`,
    `  <testsuite name="${escapeXml(`gate ${run.checklist}`)}" tests="${run.conditions.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
