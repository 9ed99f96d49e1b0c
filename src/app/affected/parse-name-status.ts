import type { ChangedFile } from '../../core/affected/map-affected-services.ts';

/**
 * The files of `git diff --name-status -M -z`: NUL-separated fields, a status (`A`, `M`, `D`,
 * `T`, `R<score>`, `C<score>`, …) then one path, or two (old, new) for a rename or copy, so
 * paths with spaces, quotes or newlines come through unchanged. A type change counts as
 * modified, a copy as added (with the path it was copied from as `oldPath`), and an unmerged or
 * unknown status as modified. Never throws.
 */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const files: ChangedFile[] = [];
  let i = 0;
  while (i < fields.length) {
    const status = fields[i] ?? '';
    i += 1;
    if (status === '') continue;
    const letter = status[0];
    if (letter === 'R' || letter === 'C') {
      const oldPath = fields[i] ?? '';
      const path = fields[i + 1] ?? '';
      i += 2;
      if (path === '') continue;
      files.push({ path, change: letter === 'R' ? 'renamed' : 'added', oldPath });
      continue;
    }
    const path = fields[i] ?? '';
    i += 1;
    if (path === '') continue;
    files.push({
      path,
      change: letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified',
    });
  }
  return files;
}
