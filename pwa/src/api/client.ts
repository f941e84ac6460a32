/**
 * The only way to the API: openapi-fetch over the types generated from openapi/openapi.json.
 * Same origin, the HttpOnly session cookie (no script ever holds a token), and the CSRF header
 * the API requires on every cookie-authenticated unsafe request.
 */
import createClient from "openapi-fetch";
import { ApiError, errorFrom, offlineError } from "./errors";
import type { paths } from "./schema";

export { ApiError } from "./errors";
export type { components, paths } from "./schema";

/** The header the API checks on cookie-authenticated unsafe requests (CSRF). */
export const CSRF_HEADER = { "X-Requested-With": "portal" } as const;

/** Set by the service worker on a response it served from its cache (src/offline/sw.ts). */
export const SAVED_AT_HEADER = "X-Portal-Saved-At";

export const api = createClient<paths>({
  baseUrl: "",
  credentials: "same-origin",
  headers: CSRF_HEADER,
});

export interface Fetched<T> {
  data: T;
  /** When this copy was saved, if it came from the offline cache rather than the server. */
  savedAt: Date | null;
  etag: string | null;
}

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Turns an openapi-fetch result into data, or throws one ApiError (status 0 when offline). */
export async function call<T>(request: Promise<Result<T>>): Promise<Fetched<T>> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw offlineError(); // fetch rejects only when there is no answer at all
  }
  const { response } = result;
  if (!response.ok || result.error !== undefined) throw errorFrom(response, result.error);
  const saved = response.headers.get(SAVED_AT_HEADER);
  return {
    data: result.data as T,
    savedAt: saved === null ? null : new Date(Number(saved)),
    etag: response.headers.get("ETag"),
  };
}
