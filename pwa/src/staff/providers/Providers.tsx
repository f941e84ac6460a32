import { useState } from "preact/hooks";
import { api, call, type components, type Fetched } from "../../api/client";
import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { Screen } from "../../ui/Screen";
import { useResource } from "../../ui/useResource";
import { formatDate } from "../format";
import { Concerns } from "./Concerns";
import { VisitForm } from "./VisitForm";
import "../manager.scss";

type S = components["schemas"];

interface ProvidersData {
  overview: S["ProvidersOverview"];
  providers: S["ProviderRead"][];
}

async function load(): Promise<Fetched<ProvidersData>> {
  const [overview, providers] = await Promise.all([
    call(api.GET("/api/v1/providers/overview")),
    call(api.GET("/api/v1/providers")),
  ]);
  return { data: { overview: overview.data, providers: providers.data }, savedAt: null, etag: null };
}

const person = (p: { young_person_id: string; full_name: string }) => (
  <Link key={p.young_person_id} href={`/staff/young-people/${p.young_person_id}`}>
    {p.full_name}
  </Link>
);

const joined = (items: preact.JSX.Element[]) => items.flatMap((el, i) => (i === 0 ? [el] : [", ", el]));

/** Where young people live: concerns, satisfaction, unsuitable places, then each provider's schemes and visits. */
export function Providers() {
  const resource = useResource("staff:providers", load);
  return (
    <Screen title={st("providers.title")} resource={resource}>
      {({ overview, providers }) => (
        <>
          <p class="govuk-body">{st("providers.asOf", { date: formatDate(overview.as_of) })}</p>
          <h2 class="govuk-heading-m">{st("providers.unsuitable")}</h2>
          {overview.unsuitable_accommodation.length === 0 ? (
            <p class="govuk-body">{st("providers.noneUnsuitable")}</p>
          ) : (
            <ul class="govuk-list govuk-list--bullet">
              {overview.unsuitable_accommodation.map((u) => (
                <li key={u.young_person_id}>
                  {person(u)}: {u.accommodation_type_name}
                  {u.scheme_name ? ` (${u.scheme_name})` : ""} · {st("providers.since", { date: formatDate(u.since), days: u.days })}
                </li>
              ))}
            </ul>
          )}
          <h2 class="govuk-heading-m">{st("providers.noSeniorVisit")}</h2>
          {overview.schemes_without_senior_visit.length === 0 ? (
            <p class="govuk-body">{st("providers.allVisited")}</p>
          ) : (
            <ul class="govuk-list govuk-list--bullet">
              {overview.schemes_without_senior_visit.map((s) => (
                <li key={s.scheme_id}>
                  {st("providers.schemeOf", { scheme: s.scheme_name, provider: s.provider_name })}:{" "}
                  {s.last_senior_visit_on ? st("providers.lastSenior", { date: formatDate(s.last_senior_visit_on) }) : st("providers.neverSenior")} ·{" "}
                  {st("providers.livingHere", { n: s.living_here_now })}
                </li>
              ))}
            </ul>
          )}
          <h2 class="govuk-heading-m">{st("providers.satisfaction")}</h2>
          {overview.satisfaction.length === 0 ? (
            <p class="govuk-body">{st("providers.noSatisfaction")}</p>
          ) : (
            <table class="govuk-table">
              <caption class="govuk-table__caption govuk-visually-hidden">{st("providers.satisfaction")}</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">{st("providers.scheme")}</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">{st("providers.average")}</th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">{st("providers.answers")}</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {overview.satisfaction.map((s) => (
                  <tr key={s.scheme_id} class="govuk-table__row">
                    <td class="govuk-table__cell">{st("providers.schemeOf", { scheme: s.scheme_name, provider: s.provider_name })}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{st("providers.outOf5", { n: s.average.toFixed(1) })}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{s.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 class="govuk-heading-m">{st("providers.list")}</h2>
          {providers.length === 0 && <p class="govuk-body">{st("providers.none")}</p>}
          {providers.map((p) => (
            <Provider key={p.id} provider={p} concerns={overview.concerns.find((c) => c.provider_id === p.id)} onChange={resource.reload} />
          ))}
        </>
      )}
    </Screen>
  );
}

function Provider({ provider, concerns, onChange }: { provider: S["ProviderRead"]; concerns: S["ProviderConcerns"] | undefined; onChange: () => void }) {
  const [showConcerns, setShowConcerns] = useState(false);
  const [visitTo, setVisitTo] = useState<string | null>(null);
  const headingId = `provider-${provider.id}`;
  return (
    <section class="govuk-summary-card" aria-labelledby={headingId}>
      <div class="govuk-summary-card__title-wrapper">
        <h3 class="govuk-summary-card__title" id={headingId}>
          {provider.name} {!provider.commissioned && <span class="govuk-tag govuk-tag--grey">{st("providers.notCommissioned")}</span>}
        </h3>
      </div>
      <div class="govuk-summary-card__content">
        <p class="govuk-body">
          {concerns
            ? st("providers.concernCount", { open: concerns.open, total: concerns.total }) +
              (concerns.oldest_open_days != null ? ` ${st("providers.oldest", { days: concerns.oldest_open_days })}` : "")
            : st("providers.noConcerns")}
          {concerns && concerns.young_people.length > 0 && <> ({joined(concerns.young_people.map(person))})</>}
        </p>
        <button type="button" class="govuk-button govuk-button--secondary" aria-expanded={showConcerns} onClick={() => setShowConcerns(!showConcerns)}>
          {showConcerns ? st("providers.hideConcerns") : st("providers.showConcerns")}
          <span class="govuk-visually-hidden"> {provider.name}</span>
        </button>
        {showConcerns && <Concerns providerId={provider.id} />}
        {provider.schemes.map((s) => (
          <div key={s.id} class="manager-scheme">
            <h4 class="govuk-heading-s">{s.name}</h4>
            <p class="govuk-body-s">
              {s.address} · {s.accommodation_type_name}
              {s.living_here_now != null ? ` · ${st("providers.livingHere", { n: s.living_here_now })}` : ""}
              {` · ${s.last_senior_visit_on ? st("providers.lastSenior", { date: formatDate(s.last_senior_visit_on) }) : st("providers.neverSenior")}`}
            </p>
            {s.visits.length > 0 && (
              <ul class="govuk-list govuk-body-s">
                {s.visits.map((v) => (
                  <li key={v.id}>
                    {st("providers.visit", { date: formatDate(v.visited_on), name: v.visitor_name, role: v.visitor_role })}
                    {v.is_senior ? ` (${st("providers.senior")})` : ""}: {v.findings}
                    {v.actions ? ` ${st("providers.actions", { actions: v.actions })}` : ""}
                  </li>
                ))}
              </ul>
            )}
            {visitTo === s.id ? (
              <VisitForm scheme={s} onDone={(saved) => { setVisitTo(null); if (saved) onChange(); }} />
            ) : (
              <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setVisitTo(s.id)}>
                {st("visit.add")}
                <span class="govuk-visually-hidden"> {s.name}</span>
              </button>
            )}
          </div>
        ))}
        {provider.schemes.length === 0 && <p class="govuk-body-s">{st("providers.noSchemes")}</p>}
      </div>
    </section>
  );
}

