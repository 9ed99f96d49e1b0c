import { describe, expect, it } from 'vitest';
import { testResultReaderLoaders } from './test-result-reader-loaders.ts';
import { testResultReaders } from './test-result-readers.ts';

describe('testResultReaderLoaders', () => {
  it('loads the readers of the registry, under the same names, in the same order', async () => {
    expect(Object.keys(testResultReaderLoaders)).toEqual(Object.keys(testResultReaders));
    for (const [format, load] of Object.entries(testResultReaderLoaders)) {
      expect(await load()).toBe(testResultReaders[format as keyof typeof testResultReaders]);
    }
  });
});
