/**
 * The council's colour arrives at run time (GET /branding). The CSP forbids style="" and inline
 * <style>, but setting a custom property through the CSSOM (style.setProperty) is not governed by
 * style-src, so the colour reaches govuk-frontend's --govuk-brand-colour without weakening it.
 */
const HEX = /^#[0-9a-f]{6}$/i;

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio between two "#rrggbb" colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export function applyBrand(colour: string): void {
  if (!HEX.test(colour)) return;
  const root = document.documentElement.style;
  root.setProperty("--govuk-brand-colour", colour);
  // White text on the header unless the council's colour is too light for it (WCAG 1.4.3).
  root.setProperty("--app-on-brand", contrast(colour, "#ffffff") >= 4.5 ? "#ffffff" : "#0b0c0c");
  document.querySelector('meta[name="theme-color"]')?.setAttribute("content", colour);
}
