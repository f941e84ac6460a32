/** The sentence a screen shows for an ApiError (UX.md §1 Errors), and its 422 field list. */
import type { ApiError, FieldProblem } from "../api/errors";
import { lang, t, worded } from "../i18n";
import type { SummaryItem } from "./ErrorSummary";

export function problemText(error: ApiError): string {
  switch (error.kind) {
    case "offline":
      return t("app.offlineNothing");
    case "not_found":
      return t("error.notFound");
    case "changed":
      return t("error.changed");
    case "rate_limited":
      return t("error.rateLimited", { seconds: error.retryAfter ?? 60 });
    case "server":
      return t("error.server");
    case "forbidden":
      return t("error.forbidden");
    case "signed_out":
    case "invalid":
      return t("error.invalid");
  }
}

/**
 * One field's error. The API's `message` is English and says the most (how long a password must
 * be), so English shows it; another language words the `code` (required, too_short...).
 */
export const fieldErrorText = (f: FieldProblem): string => (lang.value === "en" ? f.message : worded(`error.field.${f.code}`, f.message).text);

/**
 * 422 items link to their inputs: the API names a field as a dotted path ("body.note"); the
 * screens give each input the id of its last part, prefixed by `prefix`.
 */
export function summaryItems(error: ApiError, prefix = ""): SummaryItem[] {
  if (error.kind !== "invalid" || error.fieldErrors.length === 0) return [{ text: problemText(error) }];
  return error.fieldErrors.map((f) => ({ field: prefix + (f.field.split(".").pop() ?? f.field), text: fieldErrorText(f) }));
}
