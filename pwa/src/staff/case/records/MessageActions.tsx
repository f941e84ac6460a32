import { useState } from "preact/hooks";
import { api, call } from "../../../api/client";
import { ApiError, offlineError } from "../../../api/errors";
import { st } from "../../../i18n/staff.en";
import { summaryItems } from "../../../ui/problem";
import { FieldError } from "../FieldError";

type What = "hide" | "flag";

/**
 * Hide a message from the young person's view, or flag it for safeguarding. Nothing deletes a
 * message: hiding keeps it for staff with the reason, so a reason is always asked for.
 */
export function MessageActions({ id, messageId, hidden, onDone }: { id: string; messageId: number; hidden: boolean; onDone: () => void }) {
  const [what, setWhat] = useState<What>(hidden ? "flag" : "hide");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const field = `msg-${messageId}-reason`;

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (reason.trim() === "") {
      setError(st("form.required"));
      document.getElementById(field)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const path = { yp: id, message_id: messageId };
      if (what === "hide") await call(api.POST("/api/v1/young-people/{yp}/messages/{message_id}/hide", { params: { path }, body: { reason } }));
      else await call(api.POST("/api/v1/young-people/{yp}/messages/{message_id}/flags", { params: { path }, body: { reason } }));
      setReason("");
      onDone();
    } catch (err) {
      setError(summaryItems(err instanceof ApiError ? err : offlineError())[0]?.text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="govuk-details govuk-!-margin-bottom-2">
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{st("msgAct.open")}</span>
      </summary>
      <form class="govuk-details__text" noValidate onSubmit={(e) => void save(e)}>
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-visually-hidden">{st("msgAct.what")}</legend>
            <div class="govuk-radios govuk-radios--small govuk-radios--inline">
              {(["hide", "flag"] as const)
                .filter((w) => w === "flag" || !hidden)
                .map((w) => (
                  <div class="govuk-radios__item" key={w}>
                    <input
                      class="govuk-radios__input"
                      id={`msg-${messageId}-${w}`}
                      type="radio"
                      name={`msg-${messageId}-what`}
                      checked={what === w}
                      onChange={() => setWhat(w)}
                    />
                    <label class="govuk-label govuk-radios__label" for={`msg-${messageId}-${w}`}>
                      {st(w === "hide" ? "msgAct.hide" : "msgAct.flag")}
                    </label>
                  </div>
                ))}
            </div>
          </fieldset>
        </div>
        <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
          <label class="govuk-label" for={field}>
            {st("msgAct.reason")}
          </label>
          <FieldError id={field} text={error} />
          <textarea
            class={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
            id={field}
            rows={2}
            maxLength={2000}
            value={reason}
            aria-describedby={error ? `${field}-error` : undefined}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="govuk-button govuk-button--warning" disabled={busy}>
          {st(what === "hide" ? "msgAct.hide" : "msgAct.flag")}
        </button>
      </form>
    </details>
  );
}
