import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import { ErrorSummary } from "../../ui/ErrorSummary";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDate, todayIso } from "../format";
import { DateField, isoOf, partsOf } from "./DateField";
import { FieldError } from "./FieldError";
import { Done } from "./records/Done";
import { useSubmit } from "./records/useSubmit";
import { Section } from "./Section";

type Entitlement = components["schemas"]["EntitlementRead"];
type Status = components["schemas"]["EntitlementStatus"];
const STATUSES: readonly Status[] = ["applied", "received", "declined", "not_eligible", "not_started"];

/** Entitlements (the local offer's money and support): where each stands, and recording a step. */
export function MoneyTab({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:entitlements`, () =>
    call(api.GET("/api/v1/young-people/{yp}/entitlements", { params: { path: { yp: id } } })),
  );
  return (
    <Section title={st("money.title")} resource={resource}>
      {(items) =>
        items.length === 0 ? (
          <p class="govuk-body">{st("money.none")}</p>
        ) : (
          <>
            <table class="govuk-table">
              <caption class="govuk-table__caption govuk-visually-hidden">{st("money.title")}</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">{st("money.col.name")}</th>
                  <th scope="col" class="govuk-table__header">{st("money.col.status")}</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">{st("money.col.paid")}</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">{st("money.col.left")}</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {items.map((e) => (
                  <tr class="govuk-table__row" key={e.slug}>
                    <td class="govuk-table__cell">{e.title}</td>
                    <td class="govuk-table__cell">
                      <Tag colour={e.status === "received" ? "green" : e.status === "applied" ? "blue" : "grey"}>{st(stKey("money.status", e.status))}</Tag>
                      {e.status_on && <span class="govuk-body-s"> {formatDate(e.status_on)}</span>}
                    </td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">£{e.paid_gbp}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{e.remaining_gbp === null ? "–" : `£${e.remaining_gbp}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <RecordStep id={id} items={items} onSaved={resource.reload} />
          </>
        )
      }
    </Section>
  );
}

/** One step: applied, received (with what was paid: several part payments add up), declined, not eligible. */
function RecordStep({ id, items, onSaved }: { id: string; items: Entitlement[]; onSaved: () => void }) {
  const [slug, setSlug] = useState(items[0]?.slug ?? "");
  const [status, setStatus] = useState<Status>("received");
  const [amount, setAmount] = useState("");
  const [on, setOn] = useState(() => partsOf(todayIso()));
  const [note, setNote] = useState("");
  const form = useSubmit("ent-");

  const save = (e: Event) => {
    e.preventDefault();
    const date = isoOf(on);
    if (date === null || date === "invalid") {
      form.setErrors([{ field: "ent-status_on", text: st("contact.badDate") }]);
      return;
    }
    const money = amount.trim().replace(/^£/, "");
    if (status === "received" && money !== "" && !/^\d+(\.\d{1,2})?$/.test(money)) {
      form.setErrors([{ field: "ent-amount_gbp", text: st("money.badAmount") }]);
      return;
    }
    const title = items.find((i) => i.slug === slug)?.title ?? slug;
    void form
      .run(async () => {
        await call(
          api.POST("/api/v1/young-people/{yp}/entitlements/{slug}", {
            params: { path: { yp: id, slug } },
            body: { status, status_on: date, amount_gbp: status === "received" && money !== "" ? money : null, note: note.trim() === "" ? null : note },
          }),
        );
        setAmount("");
        setNote("");
        return st("money.saved", { title, status: st(stKey("money.status", status)) });
      })
      .then((ok) => ok && onSaved());
  };

  const err = form.error;
  return (
    <form noValidate onSubmit={save}>
      <h3 class="govuk-heading-m">{st("money.record")}</h3>
      <ErrorSummary items={form.errors} />
      <Done text={form.done} />
      <div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="ent-slug">
          {st("money.which")}
        </label>
        <select class="govuk-select" id="ent-slug" value={slug} onChange={(e) => setSlug(e.currentTarget.value)}>
          {items.map((i) => (
            <option key={i.slug} value={i.slug}>
              {i.title}
            </option>
          ))}
        </select>
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="ent-status">
          {st("money.col.status")}
        </label>
        <select class="govuk-select" id="ent-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {st(stKey("money.status", s))}
            </option>
          ))}
        </select>
      </div>
      {status === "received" && (
        <div class={`govuk-form-group${err("amount_gbp") ? " govuk-form-group--error" : ""}`}>
          <label class="govuk-label" for="ent-amount_gbp">
            {st("money.amount")}
          </label>
          <div class="govuk-hint" id="ent-amount_gbp-hint">
            {st("money.amountHint")}
          </div>
          <FieldError id="ent-amount_gbp" text={err("amount_gbp")} />
          <div class="govuk-input__wrapper">
            <div class="govuk-input__prefix" aria-hidden="true">
              £
            </div>
            <input
              class={`govuk-input govuk-input--width-5${err("amount_gbp") ? " govuk-input--error" : ""}`}
              id="ent-amount_gbp"
              type="text"
              inputMode="decimal"
              value={amount}
              aria-describedby="ent-amount_gbp-hint"
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </div>
        </div>
      )}
      <DateField id="ent-status_on" legend={st("money.on")} value={on} onChange={setOn} error={err("status_on")} />
      <div class={`govuk-form-group${err("note") ? " govuk-form-group--error" : ""}`}>
        <label class="govuk-label" for="ent-note">
          {st("docMark.note")}
        </label>
        <FieldError id="ent-note" text={err("note")} />
        <textarea class="govuk-textarea" id="ent-note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <button type="submit" class="govuk-button" disabled={form.busy}>
        {st("money.save")}
      </button>
    </form>
  );
}
