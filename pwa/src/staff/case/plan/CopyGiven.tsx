import { useState } from "preact/hooks";
import { api, call, type components } from "../../../api/client";
import { ApiError, offlineError } from "../../../api/errors";
import { st, stKey } from "../../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../../ui/ErrorSummary";
import { summaryItems } from "../../../ui/problem";
import { formatDate, todayIso } from "../../format";
import { DateField, isoOf, partsOf } from "../DateField";

type Version = components["schemas"]["VersionRead"];
type How = components["schemas"]["ReceiptIn"]["how"];
const HOWS: readonly How[] = ["given_in_person", "posted", "emailed", "sent_to_prison"];

/** The copies of the agreed version the young person has, and a form to record one given by hand. */
export function CopyGiven({ id, version, onGiven }: { id: string; version: Version; onGiven: () => void }) {
  const [how, setHow] = useState<How>("given_in_person");
  const [on, setOn] = useState(() => partsOf(todayIso()));
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const date = isoOf(on);
    if (date === null || date === "invalid") {
      setErrors([{ field: "receipt-received_on", text: st("contact.badDate") }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      await call(
        api.POST("/api/v1/young-people/{yp}/plan/versions/{n}/receipts", {
          params: { path: { yp: id, n: version.number } },
          body: { how, received_on: date },
        }),
      );
      onGiven();
    } catch (err) {
      setErrors(summaryItems(err instanceof ApiError ? err : offlineError(), "receipt-"));
    } finally {
      setBusy(false);
    }
  };

  const dateError = errors.find((x) => x.field === "receipt-received_on")?.text;
  return (
    <form noValidate onSubmit={(e) => void save(e)} class="govuk-!-margin-bottom-8">
      <h3 class="govuk-heading-m">{st("copy.title", { n: version.number })}</h3>
      {version.receipts.length === 0 ? (
        <p class="govuk-body">{st("copy.none")}</p>
      ) : (
        <ul class="govuk-list govuk-list--bullet">
          {version.receipts.map((r) => (
            <li key={`${r.how}:${r.received_on}`}>{st("copy.item", { how: st(stKey("copy.how", r.how)), on: formatDate(r.received_on) })}</li>
          ))}
        </ul>
      )}
      <ErrorSummary items={errors} />
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("copy.how")}</legend>
          <div class="govuk-radios govuk-radios--small govuk-radios--inline">
            {HOWS.map((h, i) => (
              <div class="govuk-radios__item" key={h}>
                <input
                  class="govuk-radios__input"
                  id={i === 0 ? "receipt-how" : `receipt-how-${h}`}
                  type="radio"
                  name="receipt-how"
                  checked={how === h}
                  onChange={() => setHow(h)}
                />
                <label class="govuk-label govuk-radios__label" for={i === 0 ? "receipt-how" : `receipt-how-${h}`}>
                  {st(stKey("copy.how", h))}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <DateField id="receipt-received_on" legend={st("copy.on")} value={on} onChange={setOn} error={dateError} />
      <button type="submit" class="govuk-button govuk-button--secondary" disabled={busy}>
        {st("copy.save")}
      </button>
    </form>
  );
}
