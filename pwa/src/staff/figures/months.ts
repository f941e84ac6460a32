const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric" });

/** "2026-11-30" → "Nov 2026" (a month-end on the chart). */
export function formatMonth(value: string): string {
  const at = new Date(`${value}T12:00:00`);
  return Number.isNaN(at.getTime()) ? value : monthFormat.format(at);
}
