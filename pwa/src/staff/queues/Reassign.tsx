import { useState } from "preact/hooks";
import { api, call, type components } from "../../api/client";
import { ApiError, offlineError } from "../../api/errors";
import { st } from "../../i18n/staff.en";
import { problemText } from "../../ui/problem";
import { useResource } from "../../ui/useResource";

type S = components["schemas"];

/**
 * Give a young person another PA. Their record is read first and changed with its ETag
 * (If-Match), so a change someone else made in between is reported, not overwritten.
 */
export function Reassign() {
  const [typed, setTyped] = useState("");
  const [found, setFound] = useState<S["YoungPersonListItem"][] | null>(null);
  const [chosen, setChosen] = useState<{ person: S["YoungPersonRead"]; etag: string } | null>(null);
  const [adviser, setAdviser] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const advisers = useResource("staff:reassign:advisers", () => call(api.GET("/api/v1/staff")));
  // The API refuses a PA outside the young person's team, so only theirs are offered.
  const team = chosen?.person.team?.id;
  const pas = (advisers.data ?? []).filter(
    (p) => p.role === "personal_adviser" && p.is_active && (team === undefined || p.team_ids.includes(team)),
  );

  // A refusal names its reason (a PA outside the young person's team, say): say it, not just "check".
  const fail = (e: unknown) => {
    const error = e instanceof ApiError ? e : offlineError();
    const reasons = error.kind === "invalid" ? error.fieldErrors.map((f) => f.message).join(" ") : "";
    setMessage({ ok: false, text: reasons ? `${problemText(error)} ${reasons}` : problemText(error) });
  };

  const search = async (e: Event) => {
    e.preventDefault();
    if (!typed.trim()) return;
    setMessage(null);
    setChosen(null);
    try {
      const res = await call(api.GET("/api/v1/young-people", { params: { query: { search: typed.trim(), limit: 10 } } }));
      setFound(res.data.items);
    } catch (err) {
      fail(err);
    }
  };

  const choose = async (id: string) => {
    setMessage(null);
    try {
      const res = await call(api.GET("/api/v1/young-people/{yp}", { params: { path: { yp: id } } }));
      setChosen({ person: res.data, etag: res.etag ?? `"${res.data.version}"` });
      setAdviser(res.data.personal_adviser?.id ?? "");
    } catch (err) {
      fail(err);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!chosen || !adviser || busy) return;
    setBusy(true);
    try {
      const res = await call(
        api.PATCH("/api/v1/young-people/{yp}", {
          params: { path: { yp: chosen.person.id }, header: { "if-match": chosen.etag } },
          body: { personal_adviser_id: adviser },
        }),
      );
      setChosen({ person: res.data, etag: res.etag ?? `"${res.data.version}"` });
      setMessage({ ok: true, text: st("reassign.done", { name: res.data.full_name, adviser: res.data.personal_adviser?.name ?? "" }) });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="queue-reassign" class="staff-group">
      <h2 class="govuk-heading-m" id="queue-reassign">
        {st("queues.reassign")}
      </h2>
      <form class="staff-filters" role="search" onSubmit={(e) => void search(e)}>
        <div class="govuk-form-group">
          <label class="govuk-label" for="reassign-search">
            {st("reassign.search")}
          </label>
          <input class="govuk-input govuk-input--width-20" id="reassign-search" type="search" maxLength={100} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </div>
        <div class="govuk-form-group">
          <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
            {st("reassign.find")}
          </button>
        </div>
      </form>
      {found !== null && found.length === 0 && <p class="govuk-body">{st("reassign.noneFound")}</p>}
      {found !== null && found.length > 0 && (
        <ul class="govuk-list">
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" class="staff-link-button manager-choose" aria-pressed={chosen?.person.id === p.id} onClick={() => void choose(p.id)}>
                {st("reassign.choose", { name: p.full_name, id: p.external_id })}
              </button>{" "}
              <span class="govuk-body-s">{p.personal_adviser ? st("reassign.now", { adviser: p.personal_adviser.name }) : st("names.noAdviser")}</span>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <form class="staff-filters" onSubmit={(e) => void save(e)}>
          <div class="govuk-form-group">
            <label class="govuk-label" for="reassign-adviser">
              {st("reassign.adviser", { name: chosen.person.full_name })}
            </label>
            <select class="govuk-select" id="reassign-adviser" value={adviser} onChange={(e) => setAdviser(e.currentTarget.value)}>
              <option value="">{st("reassign.pick")}</option>
              {pas.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.display_name}
                </option>
              ))}
            </select>
          </div>
          <div class="govuk-form-group">
            <button type="submit" class="govuk-button govuk-!-margin-bottom-0" disabled={busy || !adviser}>
              {st("reassign.save")}
            </button>
          </div>
        </form>
      )}
      <div role="status">{message && <p class={message.ok ? "govuk-body" : "govuk-error-message"}>{message.text}</p>}</div>
    </section>
  );
}
