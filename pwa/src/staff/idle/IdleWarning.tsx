import { useEffect, useRef } from "preact/hooks";
import { st } from "../../i18n/staff.en";
import { WARN_BEFORE_MS, idleState, stayActive } from "./idle";

/** govuk-frontend's notification banner, two minutes before the idle sign-out, focused so it is heard. */
export function IdleWarning() {
  const box = useRef<HTMLDivElement>(null);
  const warning = idleState.value === "warning";
  useEffect(() => {
    if (warning) box.current?.focus();
  }, [warning]);
  if (!warning) return null;
  return (
    <div
      class="govuk-notification-banner"
      role="alert"
      aria-labelledby="idle-title"
      tabIndex={-1}
      ref={box}
      data-module="govuk-notification-banner"
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="idle-title">
          {st("idle.title")}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{st("idle.heading", { minutes: WARN_BEFORE_MS / 60000 })}</p>
        <p class="govuk-body">{st("idle.body")}</p>
        <button type="button" class="govuk-button" onClick={stayActive}>
          {st("idle.stay")}
        </button>
      </div>
    </div>
  );
}
