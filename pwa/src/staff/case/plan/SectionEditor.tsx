import { st, stKey } from "../../../i18n/staff.en";
import { Tag } from "../../../ui/Tag";
import { formatDateTime } from "../../format";
import { FieldError } from "../FieldError";
import { ActionEditor } from "./ActionEditor";
import { type ActionDraft, blankAction, type Draft, type SectionDraft, sectionField, type Version } from "./draft";

type Response = Version["responses"][number];
const TEXTS = ["needs", "goals", "young_person_views"] as const;

/** One of the ten sections: what they need, the goals, their views, its actions, and beside it what
 * the young person said about it. */
export function SectionEditor(props: {
  section: SectionDraft;
  draft: Draft;
  responses: readonly Response[];
  errors: Map<string, string>;
  onChange: (next: Draft) => void;
}) {
  const { section, draft, responses, errors, onChange } = props;
  const setText = (part: (typeof TEXTS)[number], value: string) =>
    onChange({ ...draft, sections: draft.sections.map((s) => (s.code === section.code ? { ...s, [part]: value } : s)) });
  const setAction = (index: number, next: ActionDraft) =>
    onChange({ ...draft, actions: draft.actions.map((a, i) => (i === index ? next : a)) });
  const removeAction = (index: number) => {
    onChange({ ...draft, actions: draft.actions.filter((_, i) => i !== index) });
    // The removed action's button goes with it: keep keyboard focus in this section.
    requestAnimationFrame(() => document.getElementById(`plan-sec-${section.code}-add`)?.focus());
  };
  const addAction = () => {
    const added = blankAction(section.code);
    onChange({ ...draft, actions: [...draft.actions, added] });
    // The new action's first box takes focus once it is on the page (keyboard users stay in place).
    requestAnimationFrame(() => document.getElementById(`plan-action-${draft.actions.length}-description`)?.focus());
  };
  const mine = draft.actions.map((a, index) => ({ a, index })).filter(({ a }) => a.section_code === section.code);

  return (
    <section class="staff-plan-section" id={`plan-sec-${section.code}`} aria-labelledby={`plan-sec-${section.code}-title`}>
      <h3 class="govuk-heading-m" id={`plan-sec-${section.code}-title`} tabIndex={-1}>
        {section.title}
      </h3>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          {TEXTS.map((part) => {
            const id = sectionField(section.code, part);
            const error = errors.get(id);
            return (
              <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`} key={part}>
                <label class="govuk-label govuk-label--s" for={id}>
                  {st(stKey("planEdit.text", part))}
                </label>
                <FieldError id={id} text={error} />
                <textarea
                  class={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
                  id={id}
                  rows={3}
                  maxLength={20000}
                  value={section[part]}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onInput={(e) => setText(part, e.currentTarget.value)}
                />
              </div>
            );
          })}
          <h4 class="govuk-heading-s">{st("plan.actions")}</h4>
          {mine.length === 0 && <p class="govuk-body">{st("plan.noActions")}</p>}
          {mine.map(({ a, index }, n) => (
            <ActionEditor
              key={a.key}
              action={a}
              index={index}
              number={n + 1}
              errors={errors}
              onChange={(next) => setAction(index, next)}
              onRemove={() => removeAction(index)}
            />
          ))}
          <button type="button" class="govuk-button govuk-button--secondary" id={`plan-sec-${section.code}-add`} onClick={addAction}>
            {st("planEdit.addAction")}
            <span class="govuk-visually-hidden"> {st("planEdit.toSection", { section: section.title })}</span>
          </button>
        </div>
        <aside class="govuk-grid-column-one-third" aria-label={st("planEdit.theySaid")}>
          <h4 class="govuk-heading-s">{st("planEdit.theySaid")}</h4>
          {responses.length === 0 ? (
            <p class="govuk-body-s">{st("planEdit.noResponse")}</p>
          ) : (
            <ul class="govuk-list">
              {responses.map((r) => (
                <li key={r.id} class="govuk-inset-text govuk-!-margin-top-0">
                  <Tag colour={r.kind === "disagree" ? "red" : r.kind === "agree" ? "green" : "blue"}>{st(stKey("planEdit.response", r.kind))}</Tag>
                  <span class="govuk-body-s govuk-!-display-block">{formatDateTime(r.created_at)}</span>
                  {r.comment && <span class="govuk-body app-prewrap govuk-!-display-block">{r.comment}</span>}
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </section>
  );
}
