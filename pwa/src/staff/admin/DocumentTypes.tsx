import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { ProblemView } from "../../ui/ProblemView";
import { navigate } from "../../ui/router";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { ageInWords, DocumentTypeForm, type DocumentType } from "./DocumentTypeForm";
import { Saved } from "./fields";

const useCatalogue = () => useResource("staff:document-types", () => call(api.GET("/api/v1/document-types")));
// The "saved" sentence survives the move back to the list.
let lastSaved: string | null = null;

/** The documents-by-18 catalogue: every young person's checklist is made from it. */
export function DocumentTypes() {
  const resource = useCatalogue();
  const [saved] = useState(() => {
    const text = lastSaved;
    lastSaved = null;
    return text;
  });
  return (
    <>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {st("admin.documents.title")}
      </h1>
      <Saved text={saved} />
      <p class="govuk-body">{st("admin.documents.lead")}</p>
      <Link href="/staff/admin/documents/new" class="govuk-button">
        {st("admin.documents.add")}
      </Link>
      {!resource.data && resource.error && <ProblemView error={resource.error} retry={resource.reload} />}
      {!resource.data && !resource.error && (
        <p class="govuk-body" role="status">
          {st("admin.loading")}
        </p>
      )}
      {resource.data && resource.data.length === 0 && <p class="govuk-body">{st("admin.documents.none")}</p>}
      {resource.data && resource.data.length > 0 && (
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-visually-hidden">{st("admin.documents.title")}</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">{st("admin.documents.name")}</th>
              <th scope="col" class="govuk-table__header staff-nowrap">{st("admin.documents.dueCol")}</th>
              <th scope="col" class="govuk-table__header">{st("admin.documents.whoCol")}</th>
              <th scope="col" class="govuk-table__header">{st("admin.documents.stateCol")}</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {resource.data.map((type) => (
              <tr class="govuk-table__row" key={type.key}>
                <td class="govuk-table__cell">
                  <Link href={`/staff/admin/documents/${encodeURIComponent(type.key)}`}>{type.name}</Link>
                </td>
                <td class="govuk-table__cell staff-nowrap">{ageInWords(type.due_at_months)}</td>
                <td class="govuk-table__cell">{type.conditions.length === 0 ? st("admin.documents.everyone") : type.conditions.map(conditionName).join(", ")}</td>
                <td class="govuk-table__cell staff-nowrap">
                  {type.retired_on ? <Tag colour="grey">{st("admin.documents.retiredTag")}</Tag> : <Tag colour="green">{st("admin.documents.inUse")}</Tag>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function conditionName(condition: string): string {
  const not = condition.startsWith("not ");
  const flag = not ? condition.slice(4) : condition;
  const name = st(`admin.documents.flag.${flag}` as Parameters<typeof st>[0]);
  return not ? st("admin.documents.notFlag", { name }) : name;
}

/** Add a document type, or change the one named by `typeKey`. */
export function DocumentTypeEditor({ typeKey }: { typeKey: string | null }) {
  const resource = useCatalogue();
  const existing = typeKey === null ? null : resource.data?.find((t) => t.key === typeKey);
  const done = (saved: DocumentType) => {
    const list = resource.data ?? [];
    resource.replace(typeKey === null ? [...list, saved] : list.map((t) => (t.key === saved.key ? saved : t)));
    lastSaved = st(typeKey === null ? "admin.documents.added" : "admin.documents.saved", { name: saved.name });
    navigate("/staff/admin/documents");
  };
  return (
    <>
      <Link href="/staff/admin/documents" class="govuk-back-link">
        {st("admin.documents.back")}
      </Link>
      <h1 class="govuk-heading-l" tabIndex={-1}>
        {typeKey === null ? st("admin.documents.add") : (existing?.name ?? st("admin.documents.change"))}
      </h1>
      {typeKey === null ? (
        <DocumentTypeForm existing={null} onSaved={done} />
      ) : existing ? (
        <DocumentTypeForm key={existing.key} existing={existing} onSaved={done} />
      ) : resource.error ? (
        <ProblemView error={resource.error} retry={resource.reload} />
      ) : (
        <p class="govuk-body" role="status">
          {resource.data ? st("admin.documents.notFound") : st("admin.loading")}
        </p>
      )}
    </>
  );
}
