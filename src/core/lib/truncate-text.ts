/** Bounds on stored text, in UTF-16 code units. */
export const textLimits = {
  message: 4_096,
  trace: 16_384,
  output: 8_192,
} as const;

/** Cuts `text` to `limit` characters, saying how much was dropped. Never throws. */
export function truncateText(text: string, limit: number, dropped = 0): string {
  const over = text.length - limit + dropped;
  if (over <= 0) return text;
  return `${text.slice(0, limit)}… [truncated ${over} characters]`;
}
