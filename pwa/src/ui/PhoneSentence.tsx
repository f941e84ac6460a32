import { tAround, type MessageKey } from "../i18n";

/** A translated sentence with a tappable phone number where its {phone} placeholder is. */
export function PhoneSentence({ text, phone }: { text: MessageKey; phone: string }) {
  const [before, after] = tAround(text, "phone");
  return (
    <>
      {before}
      <a class="govuk-link" href={`tel:${phone.replace(/\s+/g, "")}`} dir="ltr">
        {phone}
      </a>
      {after}
    </>
  );
}
