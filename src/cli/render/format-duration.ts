/**
 * Seconds for a human: minutes below an hour, hours below two days, else days, with one decimal
 * (`8.0 min`, `1.5 h`, `3.2 d`); `-` for an unknown duration. Never throws.
 */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 3_600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
