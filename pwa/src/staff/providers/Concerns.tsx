import { api, call } from "../../api/client";
import { st, stKey } from "../../i18n/staff.en";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";

/** One provider's concerns, open first (loaded when asked for: they carry young people's words). */
export function Concerns({ providerId }: { providerId: string }) {
  const resource = useResource(`staff:provider:${providerId}:concerns`, () =>
    call(api.GET("/api/v1/providers/{provider_id}/concerns", { params: { path: { provider_id: providerId } } })),
  );
  if (resource.data === undefined) {
    return <p class="govuk-body" role="status">{resource.error ? st("queues.failedToLoad") : st("providers.loading")}</p>;
  }
  if (resource.data.length === 0) return <p class="govuk-body">{st("providers.noConcerns")}</p>;
  return (
    <table class="govuk-table govuk-!-font-size-16">
      <caption class="govuk-table__caption govuk-visually-hidden">{st("providers.concerns")}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">{st("providers.raised")}</th>
          <th scope="col" class="govuk-table__header">{st("providers.about")}</th>
          <th scope="col" class="govuk-table__header">{st("providers.concern")}</th>
          <th scope="col" class="govuk-table__header">{st("providers.state")}</th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {resource.data.map((c) => (
          <tr key={c.id} class="govuk-table__row">
            <td class="govuk-table__cell">{formatDate(c.raised_on)}</td>
            <td class="govuk-table__cell">
              {c.young_person_name ?? ""}
              {c.scheme_name ? ` · ${c.scheme_name}` : ""}
            </td>
            <td class="govuk-table__cell">
              {st(stKey("concern.category", c.category))} ({st(stKey("concern.urgency", c.urgency))}): {c.text}
            </td>
            <td class="govuk-table__cell">
              {st(stKey("concern.status", c.status))}
              {c.closed_on ? ` ${formatDate(c.closed_on)}` : ""}
              {c.outcome ? `: ${c.outcome}` : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
