import { Link } from "./Link";

interface Props {
  name: string;
  logoUrl: string | null;
  home: string;
}

/** govuk-frontend's Generic header: the council's name (and logo), its colour, no crown. */
export function Header({ name, logoUrl, home }: Props) {
  return (
    <header class="govuk-generic-header app-header">
      <div class="govuk-generic-header__container govuk-width-container">
        <div class="govuk-generic-header__logo">
          <Link href={home} class="govuk-generic-header__homepage-link">
            {logoUrl && <img class="app-header__logo" src={logoUrl} alt="" height={30} />}
            <span class="app-header__name">{name}</span>
          </Link>
        </div>
      </div>
    </header>
  );
}
