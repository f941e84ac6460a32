import { useState } from "preact/hooks";
import { ApiError, offlineError } from "../../../api/errors";
import type { SummaryItem } from "../../../ui/ErrorSummary";
import { summaryItems } from "../../../ui/problem";

/**
 * One form's sending state: a second press while sending does nothing, and a refusal becomes the
 * error summary with each item on the input its field names (ids are `prefix` + field).
 */
export function useSubmit(prefix: string) {
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const run = async (send: () => Promise<string>): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setErrors([]);
    setDone(null);
    try {
      setDone(await send());
      return true;
    } catch (err) {
      setErrors(summaryItems(err instanceof ApiError ? err : offlineError(), prefix));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const error = (field: string) => errors.find((x) => x.field === prefix + field)?.text;
  return { errors, setErrors, busy, done, run, error };
}
