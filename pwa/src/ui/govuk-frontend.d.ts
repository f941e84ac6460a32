// govuk-frontend ships no type declarations; these are the parts of its JavaScript the app uses.
declare module "govuk-frontend/dist/govuk/components/exit-this-page/exit-this-page.mjs" {
  export class ExitThisPage {
    constructor(root: Element | null, config?: Record<string, unknown>);
  }
}
