import { api, call } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { MarkDocument } from "./records/MarkDocument";
import { Section } from "./Section";

/** The documents checklist: where each document is and when it is due, and a form to mark one. */
export function DocumentsTab({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:documents`, () =>
    call(api.GET("/api/v1/young-people/{yp}/documents", { params: { path: { yp: id } } })),
  );
  return (
    <Section title={st("documents.title")} resource={resource}>
      {(list) =>
        list.items.length === 0 ? (
          <p class="govuk-inset-text">{st("documents.none")}</p>
        ) : (
          <>
            <p class="govuk-body">{st("documents.progress", { done: list.done, applicable: list.applicable })}</p>
            <table class="govuk-table">
              <caption class="govuk-table__caption govuk-visually-hidden">{st("documents.title")}</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">
                    {st("documents.col.name")}
                  </th>
                  <th scope="col" class="govuk-table__header">
                    {st("documents.col.state")}
                  </th>
                  <th scope="col" class="govuk-table__header">
                    {st("documents.col.due")}
                  </th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {list.items
                  .filter((item) => !item.retired)
                  .map((item) => (
                    <tr class="govuk-table__row" key={item.key}>
                      <td class="govuk-table__cell">{item.name}</td>
                      <td class="govuk-table__cell">
                        <Tag colour={item.state === "with_young_person" ? "green" : item.state === "not_applicable" ? "grey" : "blue"}>
                          {st(stKey("documents.state", item.state))}
                        </Tag>{" "}
                        {item.help_requested && <Tag colour="orange">{st("documents.help")}</Tag>}{" "}
                        {item.says_has_it && item.state !== "with_young_person" && <Tag colour="turquoise">{st("documents.saysHasIt")}</Tag>}
                      </td>
                      <td class="govuk-table__cell">
                        {item.state === "with_young_person" || item.state === "not_applicable" ? "" : formatDate(item.due_on)}{" "}
                        {item.overdue && <Tag colour="red">{st("documents.overdue")}</Tag>}
                        {!item.overdue && item.due_soon && <Tag colour="yellow">{st("documents.dueSoon")}</Tag>}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
            <MarkDocument id={id} list={list} onSaved={resource.replace} onReload={resource.reload} />
          </>
        )
      }
    </Section>
  );
}
