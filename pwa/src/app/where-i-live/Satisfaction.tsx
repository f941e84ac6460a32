import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { t, type MessageKey } from "../../i18n";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { online } from "../../ui/network";
import { summaryItems } from "../../ui/problem";

const RATINGS = [5, 4, 3, 2, 1] as const;
export const ratingKey = (rating: number): MessageKey => `satisfaction.rating.${Math.min(5, Math.max(1, Math.round(rating))) as 1 | 2 | 3 | 4 | 5}`;

/** How happy are you with where you live? Asked when none was given in the last 3 months. */
export function Satisfaction({ onSent }: { onSent: () => void }) {
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (rating === null) {
      setErrors([{ field: "rating-5", text: t("satisfaction.choose") }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      await call(api.POST("/api/v1/young-people/{yp}/accommodation/satisfaction", { params: { path: { yp: "me" } }, body: { rating, comment: comment.trim() || null } }));
      setSent(true);
      onSent();
    } catch (e) {
      if (e instanceof ApiError) setErrors(summaryItems(e, "satisfaction-"));
    } finally {
      setBusy(false);
    }
  };

  if (sent) return <p class="govuk-inset-text">{t("satisfaction.thanks")}</p>;
  const error = errors.find((e) => e.field === "rating-5")?.text;
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors} />
      <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
        <fieldset class="govuk-fieldset" aria-describedby={error ? "satisfaction-hint rating-error" : "satisfaction-hint"}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{t("satisfaction.question")}</legend>
          <div id="satisfaction-hint" class="govuk-hint">
            {t("satisfaction.hint")}
          </div>
          {error && (
            <p id="rating-error" class="govuk-error-message">
              {error}
            </p>
          )}
          <div class="govuk-radios govuk-radios--small">
            {RATINGS.map((r) => (
              <div key={r} class="govuk-radios__item">
                <input class="govuk-radios__input" id={`rating-${r}`} name="rating" type="radio" checked={rating === r} onChange={() => setRating(r)} />
                <label class="govuk-label govuk-radios__label" for={`rating-${r}`}>
                  {t(ratingKey(r))}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label" for="satisfaction-comment">
          {t("satisfaction.comment")}
        </label>
        <textarea class="govuk-textarea" id="satisfaction-comment" rows={3} maxLength={2000} dir="auto" value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      {!online.value && <p class="govuk-inset-text">{t("app.offlineFormDisabled")}</p>}
      <button type="submit" class="govuk-button govuk-button--secondary" disabled={busy || !online.value}>
        {t("satisfaction.send")}
      </button>
    </form>
  );
}
