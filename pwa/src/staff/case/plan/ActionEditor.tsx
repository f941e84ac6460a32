import { st, stKey } from "../../../i18n/staff.en";
import { DateField } from "../DateField";
import { FieldError } from "../FieldError";
import { type ActionDraft, type ActionStatus, actionField, type Owner } from "./draft";

const OWNERS: readonly Owner[] = ["young_person", "personal_adviser", "other"];
const STATUSES: readonly ActionStatus[] = ["not_started", "in_progress", "done", "dropped"];

/** One action: what, what is needed, who, by when, how it is going; and a way to remove it. */
export function ActionEditor(props: {
  action: ActionDraft;
  index: number;
  /** Its number within the section, for the legend ("Action 2"). */
  number: number;
  errors: Map<string, string>;
  onChange: (next: ActionDraft) => void;
  onRemove: () => void;
}) {
  const { action, index, number, errors, onChange, onRemove } = props;
  const id = (part: string) => actionField(index, part);
  const err = (part: string) => errors.get(id(part));
  const set = <K extends keyof ActionDraft>(key: K, value: ActionDraft[K]) => onChange({ ...action, [key]: value });
  const group = (part: string) => `govuk-form-group${err(part) ? " govuk-form-group--error" : ""}`;
  const describedBy = (part: string) => (err(part) ? `${id(part)}-error` : undefined);

  return (
    <fieldset class="govuk-fieldset staff-plan-action">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
        {st("planEdit.action", { n: number })}
        {action.description.trim() !== "" && `: ${action.description}`}
      </legend>
      <div class={group("description")}>
        <label class="govuk-label" for={id("description")}>
          {st("planEdit.what")}
        </label>
        <FieldError id={id("description")} text={err("description")} />
        <input
          class={`govuk-input${err("description") ? " govuk-input--error" : ""}`}
          id={id("description")}
          type="text"
          maxLength={2000}
          value={action.description}
          aria-describedby={describedBy("description")}
          onInput={(e) => set("description", e.currentTarget.value)}
        />
      </div>
      <div class={group("need")}>
        <label class="govuk-label" for={id("need")}>
          {st("planEdit.need")}
        </label>
        <FieldError id={id("need")} text={err("need")} />
        <input
          class="govuk-input"
          id={id("need")}
          type="text"
          maxLength={2000}
          value={action.need}
          aria-describedby={describedBy("need")}
          onInput={(e) => set("need", e.currentTarget.value)}
        />
      </div>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-one-half">
          <div class={group("owner")}>
            <label class="govuk-label" for={id("owner")}>
              {st("planEdit.owner")}
            </label>
            <FieldError id={id("owner")} text={err("owner")} />
            <select
              class={`govuk-select${err("owner") ? " govuk-select--error" : ""}`}
              id={id("owner")}
              value={action.owner}
              aria-describedby={describedBy("owner")}
              onChange={(e) => set("owner", e.currentTarget.value as Owner | "")}
            >
              <option value="">{st("planEdit.owner.none")}</option>
              {OWNERS.map((o) => (
                <option key={o} value={o}>
                  {st(stKey("planEdit.owner", o))}
                </option>
              ))}
            </select>
          </div>
          {action.owner === "other" && (
            <div class={group("owner_name")}>
              <label class="govuk-label" for={id("owner_name")}>
                {st("planEdit.ownerName")}
              </label>
              <FieldError id={id("owner_name")} text={err("owner_name")} />
              <input
                class="govuk-input"
                id={id("owner_name")}
                type="text"
                maxLength={200}
                value={action.owner_name}
                onInput={(e) => set("owner_name", e.currentTarget.value)}
              />
            </div>
          )}
        </div>
        <div class="govuk-grid-column-one-half">
          <DateField id={id("due_on")} legend={st("planEdit.due")} value={action.due} onChange={(v) => set("due", v)} error={err("due_on")} />
        </div>
      </div>
      <div class={group("status")}>
        <label class="govuk-label" for={id("status")}>
          {st("planEdit.status")}
        </label>
        <select class="govuk-select" id={id("status")} value={action.status} onChange={(e) => set("status", e.currentTarget.value as ActionStatus)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {st(stKey("plan.action", s))}
            </option>
          ))}
        </select>
      </div>
      {action.status === "dropped" && (
        <div class={group("dropped_reason")}>
          <label class="govuk-label" for={id("dropped_reason")}>
            {st("planEdit.droppedReason")}
          </label>
          <FieldError id={id("dropped_reason")} text={err("dropped_reason")} />
          <input
            class="govuk-input"
            id={id("dropped_reason")}
            type="text"
            maxLength={2000}
            value={action.dropped_reason}
            onInput={(e) => set("dropped_reason", e.currentTarget.value)}
          />
        </div>
      )}
      <button type="button" class="govuk-button govuk-button--warning govuk-button--small" onClick={onRemove}>
        {st("planEdit.remove")}
        <span class="govuk-visually-hidden"> {st("planEdit.action", { n: number })}</span>
      </button>
    </fieldset>
  );
}
