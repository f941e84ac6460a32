import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import { ErrorSummary } from "../../ui/ErrorSummary";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDateTime } from "../format";
import { FieldError } from "./FieldError";
import { Done } from "./records/Done";
import { useSubmit } from "./records/useSubmit";
import { Section } from "./Section";

type Concern = components["schemas"]["ConcernRead"];

/** Concerns the young person raised about where they live: acknowledge, note what was done, close. */
export function HomeTab({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:concerns`, () =>
    call(api.GET("/api/v1/young-people/{yp}/accommodation-concerns", { params: { path: { yp: id } } })),
  );
  return (
    <Section title={st("home.title")} resource={resource}>
      {(concerns) =>
        concerns.length === 0 ? (
          <p class="govuk-body">{st("home.none")}</p>
        ) : (
          concerns.map((c) => <ConcernCard key={c.id} id={id} concern={c} onChanged={resource.reload} />)
        )
      }
    </Section>
  );
}

function ConcernCard({ id, concern: c, onChanged }: { id: string; concern: Concern; onChanged: () => void }) {
  const [note, setNote] = useState("");
  const [closing, setClosing] = useState(false);
  const form = useSubmit(`concern-${c.id}-`);
  const field = `concern-${c.id}-${closing ? "outcome" : "note"}`;
  const path = { yp: id, concern_id: c.id };

  const acknowledge = () =>
    void form
      .run(async () => {
        await call(api.POST("/api/v1/young-people/{yp}/accommodation-concerns/{concern_id}/acknowledge", { params: { path } }));
        return st("home.acknowledged");
      })
      .then((ok) => ok && onChanged());

  const save = (e: Event) => {
    e.preventDefault();
    if (note.trim() === "") {
      form.setErrors([{ field, text: st(closing ? "home.outcomeNeeded" : "home.noteNeeded") }]);
      return;
    }
    void form
      .run(async () => {
        if (closing) await call(api.POST("/api/v1/young-people/{yp}/accommodation-concerns/{concern_id}/close", { params: { path }, body: { outcome: note } }));
        else await call(api.POST("/api/v1/young-people/{yp}/accommodation-concerns/{concern_id}/actions", { params: { path }, body: { note } }));
        setNote("");
        return st(closing ? "home.closed" : "home.noted");
      })
      .then((ok) => ok && onChanged());
  };
  const error = form.error(closing ? "outcome" : "note");

  return (
    <div class="govuk-summary-card">
      <div class="govuk-summary-card__title-wrapper">
        <h3 class="govuk-summary-card__title">
          {st(stKey("home.category", c.category))}
          {c.scheme_name ? ` · ${c.scheme_name}` : ""}{" "}
          <Tag colour={c.status === "closed" ? "grey" : c.urgency === "urgent" ? "red" : "orange"}>{st(stKey("home.status", c.status))}</Tag>
        </h3>
      </div>
      <div class="govuk-summary-card__content">
        <p class="govuk-body-s">{st("home.raised", { when: formatDateTime(c.raised_at), urgency: st(stKey("home.urgency", c.urgency)) })}</p>
        <p class="govuk-body app-prewrap">{c.text}</p>
        {c.actions.length > 0 && (
          <ul class="govuk-list govuk-list--bullet">
            {c.actions.map((a) => (
              <li key={a.at}>
                {formatDateTime(a.at)}
                {a.by ? ` (${a.by})` : ""}: {a.note}
              </li>
            ))}
          </ul>
        )}
        {c.outcome && <p class="govuk-inset-text">{st("home.outcome", { text: c.outcome })}</p>}
        <ErrorSummary items={form.errors} />
        <Done text={form.done} />
        {c.status === "open" && (
          <button type="button" class="govuk-button" disabled={form.busy} onClick={acknowledge}>
            {st("home.acknowledge")}
          </button>
        )}
        {c.status !== "closed" && (
          <form noValidate onSubmit={save}>
            <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-2">
              <div class="govuk-checkboxes__item">
                <input class="govuk-checkboxes__input" id={`concern-${c.id}-closing`} type="checkbox" checked={closing} onChange={(e) => setClosing(e.currentTarget.checked)} />
                <label class="govuk-label govuk-checkboxes__label" for={`concern-${c.id}-closing`}>
                  {st("home.closeIt")}
                </label>
              </div>
            </div>
            <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
              <label class="govuk-label" for={field}>
                {st(closing ? "home.outcomeLabel" : "home.noteLabel")}
              </label>
              <FieldError id={field} text={error} />
              <textarea class="govuk-textarea" id={field} rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" disabled={form.busy}>
              {st(closing ? "home.close" : "home.addNote")}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
