/**
 * Loads one API answer for a screen and keeps the last one in memory, so going back to a
 * screen, or reloading it, shows what was there while "Updating…" (UX.md §1 Loading).
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, type Fetched } from "../api/client";
import { offlineError } from "../api/errors";
import { sessionEnded } from "./auth";
import { online } from "./network";

export interface Resource<T> {
  data: T | undefined;
  /** Set when the data shown came from the offline cache. */
  savedAt: Date | null;
  loading: boolean;
  error: ApiError | null;
  reload: () => void;
  /** Replace the data with a fresher copy the screen already has (the answer to a POST). */
  replace: (data: T) => void;
}

const last = new Map<string, Fetched<unknown>>();
/** Answers asked for before their screen was drawn (app start: see prefetch). */
const early = new Map<string, Promise<Fetched<unknown>>>();

/** Forget every kept answer (sign out). */
export const forgetResources = (): void => {
  last.clear();
  early.clear();
};

/**
 * Ask for a screen's answer now, before the screen is drawn: at app start home's summary goes
 * out beside GET /users/me instead of after it (one round trip less on a slow phone). The
 * screen's first load takes this answer; a failed one is dropped, so a later try asks again.
 */
export function prefetch<T>(key: string, load: () => Promise<Fetched<T>>): void {
  if (early.has(key) || last.has(key)) return;
  const pending = load();
  early.set(key, pending);
  pending.catch(() => early.delete(key));
}

export function useResource<T>(key: string, load: () => Promise<Fetched<T>>): Resource<T> {
  const kept = last.get(key) as Fetched<T> | undefined;
  const [state, setState] = useState<{ fetched: Fetched<T> | undefined; loading: boolean; error: ApiError | null }>({
    fetched: kept,
    loading: true,
    error: null,
  });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setState((s) => ({ fetched: s.fetched ?? (last.get(key) as Fetched<T> | undefined), loading: true, error: null }));
    const pending = early.get(key) as Promise<Fetched<T>> | undefined;
    early.delete(key);
    (pending ?? load()).then(
      (fetched) => {
        last.set(key, fetched);
        if (fetched.savedAt === null) online.value = true;
        if (live) setState({ fetched, loading: false, error: null });
      },
      (e: unknown) => {
        const error = e instanceof ApiError ? e : offlineError();
        if (error.kind === "signed_out") sessionEnded();
        if (error.kind === "offline") online.value = false;
        if (live) setState((s) => ({ fetched: s.fetched, loading: false, error }));
      },
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; the key says what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const replace = useCallback(
    (data: T) => {
      const fetched: Fetched<T> = { data, savedAt: null, etag: null };
      last.set(key, fetched);
      setState({ fetched, loading: false, error: null });
    },
    [key],
  );
  return {
    data: state.fetched?.data,
    savedAt: state.error?.kind === "offline" ? (state.fetched?.savedAt ?? new Date(0)) : (state.fetched?.savedAt ?? null),
    loading: state.loading,
    error: state.error,
    reload,
    replace,
  };
}
