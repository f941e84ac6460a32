/** The council's branding, from GET /branding before sign-in (cached by the service worker). */
import { signal } from "@preact/signals";
import { takeEarly } from "../api/early";
import { getBranding, type Branding } from "../api/session";
import { applyBrand } from "../ui/brand";

export const branding = signal<Branding | null>(null);

export async function loadBranding(): Promise<void> {
  try {
    const b = await getBranding(takeEarly("branding"));
    branding.value = b;
    applyBrand(b.colour);
    // Discreet by default (UX.md §5): the app switcher shows the neutral name.
    document.title = b.discreet_name;
  } catch {
    // Not reachable (offline on first run, or an API without it yet): neutral defaults.
  }
}
