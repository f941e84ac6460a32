const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric" });

/** "2026-11-30" → "Nov 2026" (a month-end on the chart). */
export function formatMonth(value: string): string {
  const at = new Date(`${value}T12:00:00`);
  return Number.isNaN(at.getTime()) ? value : monthFormat.format(at);
}

/** The same calendar day some months earlier, clamped to the month's end (31 May − 3 → 28/29 Feb). */
export function monthsBefore(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}
