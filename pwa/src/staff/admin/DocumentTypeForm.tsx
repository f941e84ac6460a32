import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { st, type StaffKey } from "../../i18n/staff.en";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { useResource } from "../../ui/useResource";
import { CheckField, errorFor, SelectField, saveErrors, TextField } from "./fields";

export type DocumentType = components["schemas"]["DocumentTypeRead"];
type Create = components["schemas"]["DocumentTypeCreate"];

// The API's document conditions are flags about the young person, each as "flag" or "not flag".
const FLAGS = ["uasc", "disabled", "is_parent"] as const;
type Flag = (typeof FLAGS)[number];
type Rule = "" | "only" | "not";
const PREFIX = "doc-";

const ruleOf = (conditions: readonly string[], flag: Flag): Rule =>
  conditions.includes(flag) ? "only" : conditions.includes(`not ${flag}`) ? "not" : "";

export function ageInWords(months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return rest === 0 ? st("admin.documents.age", { years }) : st("admin.documents.ageMonths", { years, months: rest });
}

/** The fields of a document type, to add one (key chosen once) or change one (key fixed). */
export function DocumentTypeForm({ existing, onSaved }: { existing: DocumentType | null; onSaved: (saved: DocumentType) => void }) {
  const pages = useResource("staff:local-offer", () => call(api.GET("/api/v1/local-offer")));
  const [key, setKey] = useState("");
  const [name, setName] = useState(existing?.name ?? "");
  const [why, setWhy] = useState(existing?.why_it_matters ?? "");
  const [how, setHow] = useState(existing?.how_to_get_it ?? "");
  const [page, setPage] = useState(existing?.local_offer_slug ?? "");
  const [start, setStart] = useState(existing?.start_at_months == null ? "" : String(existing.start_at_months));
  const [due, setDue] = useState(String(existing?.due_at_months ?? 216));
  const [rules, setRules] = useState<Record<Flag, Rule>>(() => {
    const have = existing?.conditions ?? [];
    return { uasc: ruleOf(have, "uasc"), disabled: ruleOf(have, "disabled"), is_parent: ruleOf(have, "is_parent") };
  });
  const [retired, setRetired] = useState(existing?.retired_on != null);
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [saving, setSaving] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const missing: SummaryItem[] = [];
    if (!existing && !key.trim()) missing.push({ field: `${PREFIX}key`, text: st("admin.documents.missingKey") });
    if (!name.trim()) missing.push({ field: `${PREFIX}name`, text: st("admin.documents.missingName") });
    if (!why.trim()) missing.push({ field: `${PREFIX}why_it_matters`, text: st("admin.documents.missingWhy") });
    if (!how.trim()) missing.push({ field: `${PREFIX}how_to_get_it`, text: st("admin.documents.missingHow") });
    if (!/^\d+$/.test(due.trim())) missing.push({ field: `${PREFIX}due_at_months`, text: st("admin.documents.badMonths") });
    if (start.trim() !== "" && !/^\d+$/.test(start.trim())) missing.push({ field: `${PREFIX}start_at_months`, text: st("admin.documents.badMonths") });
    setErrors(missing);
    if (missing.length > 0) return;
    const fields = {
      name: name.trim(),
      why_it_matters: why.trim(),
      how_to_get_it: how.trim(),
      local_offer_slug: page || null,
      start_at_months: start.trim() === "" ? null : Number(start),
      due_at_months: Number(due),
      conditions: FLAGS.flatMap((flag) => (rules[flag] === "only" ? [flag] : rules[flag] === "not" ? [`not ${flag}`] : [])),
    };
    setSaving(true);
    try {
      const saved = existing
        ? await call(
            api.PATCH("/api/v1/document-types/{key}", {
              params: { path: { key: existing.key } },
              body: { ...fields, retired },
            }),
          )
        : await call(api.POST("/api/v1/document-types", { body: { ...fields, key: key.trim() } satisfies Create }));
      onSaved(saved.data);
    } catch (e) {
      // "conditions.1" names one condition; the three choices are one question here.
      setErrors(saveErrors(e, PREFIX).map((item) => (item.field && /^doc-\d+$/.test(item.field) ? { ...item, field: `${PREFIX}uasc` } : item)));
    } finally {
      setSaving(false);
    }
  };

  const pageOptions = [{ value: "", label: st("admin.documents.noPage") }, ...(pages.data?.items ?? []).map((p) => ({ value: p.slug, label: p.title }))];
  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <ErrorSummary items={errors} />
      {!existing && (
        <TextField
          id={`${PREFIX}key`}
          label={st("admin.documents.key")}
          hint={st("admin.documents.keyHint")}
          value={key}
          onInput={setKey}
          error={errorFor(errors, `${PREFIX}key`)}
          width={20}
          spellcheck={false}
          autocomplete="off"
        />
      )}
      <TextField id={`${PREFIX}name`} label={st("admin.documents.name")} hint={st("admin.documents.nameHint")} value={name} onInput={setName} error={errorFor(errors, `${PREFIX}name`)} width={30} />
      <TextField id={`${PREFIX}why_it_matters`} label={st("admin.documents.why")} value={why} onInput={setWhy} error={errorFor(errors, `${PREFIX}why_it_matters`)} multiline />
      <TextField id={`${PREFIX}how_to_get_it`} label={st("admin.documents.how")} value={how} onInput={setHow} error={errorFor(errors, `${PREFIX}how_to_get_it`)} multiline />
      <SelectField id={`${PREFIX}local_offer_slug`} label={st("admin.documents.page")} value={page} options={pageOptions} onChange={setPage} error={errorFor(errors, `${PREFIX}local_offer_slug`)} />
      <TextField
        id={`${PREFIX}start_at_months`}
        label={st("admin.documents.start")}
        hint={st("admin.documents.startHint")}
        value={start}
        onInput={setStart}
        error={errorFor(errors, `${PREFIX}start_at_months`)}
        width={3}
        inputMode="numeric"
      />
      <TextField
        id={`${PREFIX}due_at_months`}
        label={st("admin.documents.due")}
        hint={st("admin.documents.dueHint")}
        value={due}
        onInput={setDue}
        error={errorFor(errors, `${PREFIX}due_at_months`)}
        width={3}
        inputMode="numeric"
      />
      <fieldset class="govuk-fieldset">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{st("admin.documents.who")}</legend>
        <div class="govuk-hint">{st("admin.documents.whoHint")}</div>
        {FLAGS.map((flag) => (
          <SelectField
            key={flag}
            id={`${PREFIX}${flag}`}
            label={st(`admin.documents.flag.${flag}` as StaffKey)}
            value={rules[flag]}
            options={[
              { value: "", label: st("admin.documents.rule.any") },
              { value: "only", label: st("admin.documents.rule.only") },
              { value: "not", label: st("admin.documents.rule.not") },
            ]}
            onChange={(v) => setRules((all) => ({ ...all, [flag]: v as Rule }))}
            error={errorFor(errors, `${PREFIX}${flag}`)}
          />
        ))}
      </fieldset>
      {existing && (
        <CheckField id={`${PREFIX}retired`} label={st("admin.documents.retired")} hint={st("admin.documents.retiredHint")} checked={retired} onChange={setRetired} error={errorFor(errors, `${PREFIX}retired`)} />
      )}
      <button type="submit" class="govuk-button" disabled={saving} aria-disabled={saving}>
        {existing ? st("admin.documents.save") : st("admin.documents.addButton")}
      </button>
    </form>
  );
}
