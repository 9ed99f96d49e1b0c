/**
 * Why an input could not be taken, and where: the one shape every expected failure of a reader,
 * a config file or an event uses (positions 1-based; `path` a JSON or field path such as
 * `results.tests[3].status`). Outcomes carry problems as values (`Result`), never as throws.
 */
export type Problem = {
  message: string;
  line?: number | undefined;
  column?: number | undefined;
  path?: string | undefined;
};

/**
 * "file:line:column: message", "file: message" without a position, or just the message when
 * there is no file: the one way a problem is printed (CLI lines, HTTP messages, logs).
 * Never throws.
 */
export function formatProblem(problem: Problem, file?: string): string {
  const where =
    problem.line === undefined
      ? ''
      : problem.column === undefined
        ? `:${problem.line}`
        : `:${problem.line}:${problem.column}`;
  if (file === undefined)
    return where === '' ? problem.message : `${where.slice(1)}: ${problem.message}`;
  return `${file}${where}: ${problem.message}`;
}
