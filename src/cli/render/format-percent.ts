/**
 * A share (0.0495) as a percentage with two decimals (`4.95%`), `n/a` for an unknown share: the
 * one percentage format of candor's text and Markdown output. Never throws.
 */
export function formatPercent(share: number | null): string {
  return share === null ? 'n/a' : `${(share * 100).toFixed(2)}%`;
}
