import { useEffect, useRef, useState } from "preact/hooks";
import { api, call } from "../../../api/client";
import { st } from "../../../i18n/staff.en";
import { ErrorSummary } from "../../../ui/ErrorSummary";
import { useResource } from "../../../ui/useResource";
import { formatDate } from "../../format";
import { FieldError } from "../FieldError";
import { Done } from "./Done";
import { useSubmit } from "./useSubmit";

/** How often the app asks the young person to check in (7 to 90 days), or never. */
export function RhythmForm({ id }: { id: string }) {
  const rhythm = useResource(`staff:rhythm:${id}`, () => call(api.GET("/api/v1/young-people/{yp}/check-in-rhythm", { params: { path: { yp: id } } })));
  const [every, setEvery] = useState("14");
  const [off, setOff] = useState(false);
  const form = useSubmit("rhythm-");
  // The form starts from what is set now, once: a later reload must not undo what the PA typed.
  const filled = useRef(false);
  const now = rhythm.data;
  useEffect(() => {
    if (!now || filled.current) return;
    filled.current = true;
    setOff(now.every_days === null);
    if (now.every_days !== null) setEvery(String(now.every_days));
  }, [now]);

  const save = (e: Event) => {
    e.preventDefault();
    const n = Number(every);
    if (!off && (!/^\d+$/.test(every.trim()) || n < 7 || n > 90)) {
      form.setErrors([{ field: "rhythm-every_days", text: st("rhythm.range") }]);
      return;
    }
    void form.run(async () => {
      await call(api.PUT("/api/v1/young-people/{yp}/check-in-rhythm", { params: { path: { yp: id } }, body: { every_days: off ? null : n } }));
      rhythm.reload();
      return off ? st("rhythm.savedOff") : st("rhythm.saved", { n });
    });
  };
  const error = form.error("every_days");
  return (
    <form noValidate onSubmit={save}>
      <h3 class="govuk-heading-m">{st("rhythm.title")}</h3>
      <p class="govuk-body">{st("rhythm.lead")}</p>
      {now && (
        <p class="govuk-inset-text">
          {now.every_days === null
            ? st("rhythm.currentOff")
            : now.set_by && now.set_at
              ? st("rhythm.currentBy", { n: now.every_days, name: now.set_by.name, date: formatDate(now.set_at) })
              : st("rhythm.current", { n: now.every_days })}
        </p>
      )}
      <ErrorSummary items={form.errors} />
      <Done text={form.done} />
      <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-4">
        <div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id="rhythm-off" type="checkbox" checked={off} onChange={(e) => setOff(e.currentTarget.checked)} />
          <label class="govuk-label govuk-checkboxes__label" for="rhythm-off">
            {st("rhythm.off")}
          </label>
        </div>
      </div>
      {!off && (
        <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
          <label class="govuk-label" for="rhythm-every_days">
            {st("rhythm.every")}
          </label>
          <div class="govuk-hint" id="rhythm-every_days-hint">
            {st("rhythm.hint")}
          </div>
          <FieldError id="rhythm-every_days" text={error} />
          <div class="govuk-input__wrapper">
            <input
              class={`govuk-input govuk-input--width-3${error ? " govuk-input--error" : ""}`}
              id="rhythm-every_days"
              type="text"
              inputMode="numeric"
              value={every}
              aria-describedby={`rhythm-every_days-hint${error ? " rhythm-every_days-error" : ""}`}
              onInput={(e) => setEvery(e.currentTarget.value)}
            />
            <div class="govuk-input__suffix" aria-hidden="true">
              {st("rhythm.days")}
            </div>
          </div>
        </div>
      )}
      <button type="submit" class="govuk-button" disabled={form.busy}>
        {st("rhythm.save")}
      </button>
    </form>
  );
}
