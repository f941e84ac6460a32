import { st } from "../i18n/staff.en";

/** Dates as staff read them: "4 Dec 2026", and how long ago in plain words. */
const DAY = 24 * 60 * 60 * 1000;
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

/** "2026-12-04" (a date, no zone) or an ISO date-time. */
export function formatDate(value: string): string {
  const at = value.length === 10 ? new Date(`${value}T12:00:00`) : new Date(value);
  return Number.isNaN(at.getTime()) ? value : dateFormat.format(at);
}

export function formatDateTime(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : `${dateFormat.format(at)}, ${timeFormat.format(at)}`;
}

/** "3 hours ago", "2 days ago": how long something has waited. */
export function ago(value: string, now: number = Date.now()): string {
  const ms = now - new Date(value).getTime();
  if (!Number.isFinite(ms)) return value;
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 60) return minutes <= 1 ? st("ago.now") : st("ago.minutes", { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? st("ago.hour") : st("ago.hours", { n: hours });
  const days = Math.round(ms / DAY);
  return days === 1 ? st("ago.yesterday") : st("ago.days", { n: days });
}

/** Whole days from today to a "YYYY-MM-DD" date (negative when it has passed). */
export function daysUntil(date: string, now: number = Date.now()): number {
  const at = new Date(`${date}T12:00:00`).getTime();
  const today = new Date(now);
  today.setHours(12, 0, 0, 0);
  return Math.round((at - today.getTime()) / DAY);
}

/** Today as "YYYY-MM-DD" in the browser's zone. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
