import { Command } from 'commander';
import { updateKevCatalog } from '../../app/gates/update-kev-catalog.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { jsonOption } from '../options.ts';

/** `candor kev update --from FILE` (README "vulnerabilities"). */
export const kevCommand: CommandFactory = (context, setExitCode) => {
  const kev = new Command('kev').description(
    'the CISA Known Exploited Vulnerabilities catalog the vulnerabilities gate reads',
  );
  kev
    .command('update')
    .description(
      'check a downloaded KEV catalog (known_exploited_vulnerabilities.json) and make it .candor/kev.json',
    )
    .requiredOption('--from <file>', 'the catalog JSON, as published by CISA (cisagov/kev-data)')
    .addOption(jsonOption())
    .action(async (options: { from: string; json?: boolean }) => {
      const updated = await updateKevCatalog({ root: context.cwd, from: options.from });
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify(updated.ok ? { updated: true, ...updated.value } : { updated: false, problems: updated.errors })}\n`,
        );
      } else if (updated.ok) {
        const { path, catalogVersion, count } = updated.value;
        context.stdout.write(
          `${path}: KEV catalog ${catalogVersion}, ${count.toLocaleString('en-US')} vulnerabilities\n`,
        );
      } else {
        for (const problem of updated.errors)
          context.stderr.write(`✗ ${formatProblem(problem, options.from)}\n`);
        context.stderr.write('nothing was written: the previous catalog stays\n');
      }
      setExitCode(updated.ok ? exitCodes.ok : exitCodes.rejected);
    });
  return kev;
};
