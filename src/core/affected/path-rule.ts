import { z } from 'zod';

/** How a file changed between the merge-base and the head (`git diff --name-status -M`). */
export const changeKinds = ['added', 'modified', 'deleted', 'renamed'] as const;
export const ChangeKind = z.enum(changeKinds);
export type ChangeKind = z.infer<typeof ChangeKind>;

/**
 * One entry of a service's `paths:` or of `affected.shared`: a glob (picomatch syntax, `dot`
 * on, matched against the repository-relative path), or `{ glob, changes }` to count only some
 * kinds of change. A glob starting with `!` excludes what it matches (with its `changes`, only
 * those kinds) from the entries of the same list.
 */
const Glob = z
  .string()
  .min(1)
  .max(1000)
  .refine((glob) => glob !== '!', 'a glob of "!" alone excludes nothing: write !<glob>');

export const PathRule = z.union([
  Glob,
  z.strictObject({
    glob: Glob,
    /** Only these kinds of change count (default: every kind). */
    changes: z.array(ChangeKind).min(1).optional(),
  }),
]);
export type PathRule = z.infer<typeof PathRule>;

/** `affected:` in candor.yml: what `candor affected` reads besides each service's `paths:`. */
export const AffectedConfig = z.strictObject({
  /** Paths whose change affects every service (lock files, CI definitions, shared build code). */
  shared: z.array(PathRule).default([]),
});
export type AffectedConfig = z.output<typeof AffectedConfig>;
