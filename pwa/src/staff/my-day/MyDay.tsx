import { st } from "../../i18n/staff.en";
import { Link } from "../../ui/Link";
import { ProblemView } from "../../ui/ProblemView";
import { Screen } from "../../ui/Screen";
import { Tag } from "../../ui/Tag";
import { useResource } from "../../ui/useResource";
import { type Group, type Item, KIND_TITLE, loadMyDay } from "./items";

/** My day: one ordered list of what needs doing across the caseload, grouped by kind, most urgent first. */
export function MyDay() {
  const resource = useResource("staff:my-day", loadMyDay);
  return (
    <Screen title={st("myDay.title")} resource={resource} lead={<p class="govuk-body-l">{st("myDay.lead")}</p>}>
      {({ groups }) => {
        const shown = groups.filter((g) => "error" in g || g.items.length > 0);
        if (shown.length === 0) return <p class="govuk-inset-text">{st("myDay.nothing")}</p>;
        return (
          <>
            <nav aria-label={st("myDay.summary")} class="staff-counts">
              <ul class="govuk-list">
                {shown.map((g) => (
                  <li key={g.kind}>
                    <a class="govuk-link" href={`#group-${g.kind}`}>
                      {st(KIND_TITLE[g.kind])}
                    </a>{" "}
                    {"items" in g && <Tag colour={g.kind === "messages" || g.kind === "concerns" ? "red" : "blue"}>{g.items.length}</Tag>}
                  </li>
                ))}
              </ul>
            </nav>
            {shown.map((g) => (
              <GroupView key={g.kind} group={g} retry={resource.reload} />
            ))}
          </>
        );
      }}
    </Screen>
  );
}

function GroupView({ group, retry }: { group: Group; retry: () => void }) {
  return (
    <section class="staff-group" aria-labelledby={`group-${group.kind}`}>
      <h2 class="govuk-heading-m" id={`group-${group.kind}`} tabIndex={-1}>
        {st(KIND_TITLE[group.kind])}
        {"items" in group && <span class="govuk-caption-m govuk-!-display-inline staff-group__count">({group.items.length})</span>}
      </h2>
      {"error" in group ? (
        <>
          <p class="govuk-body">{st("myDay.groupFailed")}</p>
          <ProblemView error={group.error} retry={retry} />
        </>
      ) : (
        <ul class="govuk-list staff-items">
          {group.items.map((item) => (
            <ItemView key={item.key} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ItemView({ item }: { item: Item }) {
  return (
    <li class="staff-item">
      {item.href ? (
        <Link href={item.href} class="govuk-link govuk-!-font-weight-bold">
          {item.name}
        </Link>
      ) : (
        <strong>{item.name}</strong>
      )}
      {item.tag && <Tag colour={item.tag.colour}>{item.tag.text}</Tag>}
      <p class="govuk-body-s staff-item__detail">{item.detail}</p>
    </li>
  );
}
