/**
 * The only words a notification ever shows (UX.md §5: nothing else on a shared phone's lock
 * screen). Kept apart from the catalogues so the service worker carries just these.
 * ar and ps: machine-assisted, NEEDS REVIEW by a fluent speaker.
 */
export const NEW_MESSAGE: Readonly<Record<string, string>> = {
  en: "New message",
  ar: "رسالة جديدة",
  ps: "نوی پیغام",
};
