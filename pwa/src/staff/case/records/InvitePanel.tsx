import { api, call } from "../../../api/client";
import { st, stKey } from "../../../i18n/staff.en";
import { ErrorSummary } from "../../../ui/ErrorSummary";
import { Tag } from "../../../ui/Tag";
import { useResource } from "../../../ui/useResource";
import { formatDateTime } from "../../format";
import { Section } from "../Section";
import { Done } from "./Done";
import { useSubmit } from "./useSubmit";

/** Where the invite to the app stands, and sending it (again). Staff never see the link itself. */
export function InvitePanel({ id }: { id: string }) {
  const resource = useResource(`staff:yp:${id}:invite`, () =>
    call(api.GET("/api/v1/young-people/{yp}/invites/latest", { params: { path: { yp: id } } })),
  );
  const form = useSubmit("invite-");
  const send = (e: Event) => {
    e.preventDefault();
    void form.run(async () => {
      const sent = await call(api.POST("/api/v1/young-people/{yp}/invites", { params: { path: { yp: id } }, body: {} }));
      resource.replace(sent.data);
      return st("invite.sent", { to: sent.data.sent_to ?? "" });
    });
  };
  return (
    <Section title={st("invite.title")} resource={resource} level={3}>
      {(invite) => (
        <form noValidate onSubmit={send}>
          <ErrorSummary items={form.errors} />
          <Done text={form.done} />
          <p class="govuk-body">
            <Tag colour={invite.state === "accepted" ? "green" : invite.state === "expired" ? "red" : invite.state === "sent" ? "blue" : "grey"}>
              {st(stKey("invite.state", invite.state))}
            </Tag>{" "}
            {invite.state === "sent" &&
              st("invite.detail", {
                how: invite.channel ?? "",
                to: invite.sent_to ?? "",
                when: invite.sent_at ? formatDateTime(invite.sent_at) : "",
                until: invite.expires_at ? formatDateTime(invite.expires_at) : "",
              })}
            {invite.state === "accepted" && invite.accepted_at && st("invite.accepted", { when: formatDateTime(invite.accepted_at) })}
            {invite.delivery === "failed" && (
              <>
                {" "}
                <Tag colour="red">{st("invite.failed")}</Tag>
              </>
            )}
          </p>
          {invite.state !== "accepted" && (
            <button type="submit" class="govuk-button govuk-button--secondary" disabled={form.busy}>
              {st(invite.state === "none" ? "invite.send" : "invite.resend")}
            </button>
          )}
        </form>
      )}
    </Section>
  );
}
