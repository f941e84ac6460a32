import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";

/** Where the button goes: the design system's own choice, an everyday page nobody would question. */
const AWAY = "https://www.bbc.co.uk/weather";

let started = false;

/**
 * govuk-frontend's Exit this page, enhanced by its own script (loaded the first time it shows, so
 * the first load stays small). The script listens for Shift pressed three times on the whole
 * document from then on, so this element is rendered once by the app and hidden, not removed,
 * on screens that do not show the button.
 */
export function ExitThisPage({ shown }: { shown: boolean }) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!shown || started || !root.current) return;
    started = true;
    const element = root.current;
    void import("govuk-frontend/dist/govuk/components/exit-this-page/exit-this-page.mjs").then(
      ({ ExitThisPage: Enhance }) => new Enhance(element),
      () => {
        started = false; // offline before it was saved: the plain link still works
      },
    );
  }, [shown]);
  return (
    <div
      ref={root}
      class="govuk-exit-this-page"
      data-module="govuk-exit-this-page"
      hidden={!shown}
      {...{
        // The script's own messages, in the young person's language (its data-i18n.* options).
        "data-i18n.activated": t("exit.activated"),
        "data-i18n.timed-out": t("exit.timedOut"),
        "data-i18n.press-two-more-times": t("exit.twoMore"),
        "data-i18n.press-one-more-time": t("exit.oneMore"),
      }}
    >
      <a
        href={AWAY}
        role="button"
        draggable={false}
        class="govuk-button govuk-button--warning govuk-exit-this-page__button govuk-js-exit-this-page-button"
        rel="nofollow noreferrer"
      >
        <span class="govuk-visually-hidden">{t("exit.emergency")}</span> {t("exit.button")}
      </a>
    </div>
  );
}
