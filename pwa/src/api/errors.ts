/**
 * What went wrong talking to the API, in the terms the screens act on (UX.md §1 "States").
 * Every failure, problem+json or no answer at all, becomes one ApiError.
 */
import type { components } from "./schema";

export type Problem = components["schemas"]["Problem"];
export type FieldProblem = NonNullable<Problem["errors"]>[number];

export type ErrorKind =
  | "offline" // no answer: no signal, or the server is unreachable
  | "signed_out" // 401: sign in again (the outbox is kept)
  | "forbidden" // 403
  | "not_found" // 404
  | "changed" // 409 / 412: someone changed this, reload
  | "invalid" // 400 / 422: the error summary links errors[].field
  | "rate_limited" // 429: wait Retry-After seconds
  | "server"; // 5xx: try again

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly problem: Problem | null;
  /** Seconds to wait, from Retry-After (429, 503). */
  readonly retryAfter: number | null;
  /** The whole problem body, for the extra members some answers carry (`otp_required`). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, problem: Problem | null, retryAfter: number | null, extra: Record<string, unknown> = {}) {
    super(problem?.detail ?? (status === 0 ? "offline" : `HTTP ${status}`));
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
    this.extra = extra;
    this.kind = kindOf(status);
  }

  get fieldErrors(): FieldProblem[] {
    return this.problem?.errors ?? [];
  }
}

function kindOf(status: number): ErrorKind {
  if (status === 0) return "offline";
  if (status === 401) return "signed_out";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409 || status === 412) return "changed";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  return "invalid";
}

/** Retry-After is seconds or an HTTP date; either becomes whole seconds from now. */
export function retryAfterSeconds(response: Response): number | null {
  const value = response.headers.get("Retry-After");
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function isProblem(body: unknown): body is Problem {
  return typeof body === "object" && body !== null && "status" in body && "title" in body;
}

/** Builds the ApiError for a failed response whose body may or may not be problem+json. */
export function errorFrom(response: Response, body: unknown): ApiError {
  const problem = isProblem(body) ? body : null;
  const extra = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return new ApiError(response.status, problem, retryAfterSeconds(response), extra);
}

export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return errorFrom(response, body);
}

export const offlineError = (): ApiError => new ApiError(0, null, null);
