import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';
import type { CliContext } from '../cli-context.ts';
import { commandLoaders } from './command-loaders.ts';
import { commands } from './commands.ts';

const here = import.meta.dirname;
const commandFiles = readdirSync(here).filter((name) => name.endsWith('-command.ts'));
const context: CliContext = {
  cwd: here,
  env: {},
  stdout: { write: () => true },
  stderr: { write: () => true },
  now: () => new Date(0),
};

describe('the command registry', () => {
  it('registers every command a *-command.ts file exports, once', async () => {
    const exported = new Set<unknown>();
    for (const file of commandFiles) {
      const module = (await import(join(here, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module))
        if (name.endsWith('Command') && typeof value === 'function') exported.add(value);
    }
    expect(new Set(commands)).toEqual(exported);
    expect(commands).toHaveLength(exported.size);
  });

  it('gives every command a distinct name', () => {
    const names = commands.map((create) => create(context, () => {}).name());
    expect(new Set(names).size).toBe(names.length);
  });

  it('has no command importing another command', () => {
    const crossings = commandFiles.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(join(here, file), 'utf8'), true, true)
        .importedFiles.map((i) => i.fileName)
        .filter((name) => /^\.\/[^/]+-command\.ts$/.test(name))
        .map((name) => `${file} → ${name}`),
    );
    expect(crossings).toEqual([]);
  });

  it('loads the same commands, in the same order, on demand (command-loaders.ts)', async () => {
    const loaded = await Promise.all(commandLoaders.map((loader) => loader.load()));
    expect(loaded).toEqual(commands);
    const names = commands.map((create) => create(context, () => {}).name());
    expect(commandLoaders.map((loader) => loader.name)).toEqual(names);
  });

  it('answers --version, root help, one command and a mistyped name from the lazy registry', async () => {
    const version = await runCliInProcess(['--version'], { cwd: here });
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const help = await runCliInProcess(['--help'], { cwd: here });
    expect(help.code).toBe(0);
    for (const loader of commandLoaders) expect(help.stdout).toContain(`  ${loader.name} `);
    const gate = await runCliInProcess(['gate', '--help'], { cwd: here });
    expect(gate.code).toBe(0);
    expect(gate.stdout).toContain('Usage: candor gate');
    const typo = await runCliInProcess(['gaet'], { cwd: here });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('(Did you mean gate?)');
  });
});
