/**
 * The order in which a family's readers are asked to `detect` an input: the registry order,
 * except that catch-all readers (`isCatchAll`: they claim every input of their syntax, or every
 * input) come after the others, so a more specific format of the same syntax is found first
 * wherever its line is. Never throws.
 */
export function detectionOrder<Id extends string>(
  registry: Record<Id, { readonly id: string; readonly isCatchAll?: boolean | undefined }>,
): Id[] {
  const ids = Object.keys(registry) as Id[];
  return [
    ...ids.filter((id) => registry[id].isCatchAll !== true),
    ...ids.filter((id) => registry[id].isCatchAll === true),
  ];
}
