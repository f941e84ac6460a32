import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { laterStrings, t } from "../i18n";

/**
 * A screen loaded when first opened, so the first load carries Home only (issue 14's budget).
 * Preact's own lazy() needs preact/compat; this is the part of it the app uses. The styles and
 * English strings only such screens use (styles/screens.scss, i18n/en.later.ts) come with the
 * first of them, and the screen is shown once they have loaded.
 */
const screenStyles = () => import("./styles/screens.scss");

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyScreen(props: P) {
    // An initialiser, not the value: useState would call a component passed to it directly.
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (component) return;
      Promise.all([load(), screenStyles(), laterStrings()]).then(
        ([c]) => {
          loaded = c;
          setComponent(() => c);
        },
        () => setFailed(true),
      );
    }, [component]);
    if (component) {
      const Component = component;
      return <Component {...props} />;
    }
    return (
      <p class="govuk-body" role="status">
        {failed ? t("app.offlineNothing") : t("app.loading")}
      </p>
    );
  };
}
