import type Organisation from '#models/organisation'

/** GET /api/organisation (api.md §6.3). */
export interface OrganisationLoginOptions {
  loginUrl?: string | null
  loginProviders?: Array<{ id: string; title: string; primary: boolean; login_url: string }>
}

export function organisationForApi(
  organisation: Organisation,
  extras: OrganisationLoginOptions = {}
) {
  return {
    id: organisation.id,
    rev: organisation.rev,
    title: organisation.title,
    active: organisation.active,
    body: organisation.body,
    help_info: organisation.helpInfo,
    page_title: organisation.pageTitle || organisation.title,
    login_url: extras.loginUrl ?? null,
    // Addition: the login providers offered in the UI (domain §6.4 `hidden`).
    login_providers: extras.loginProviders ?? [],
    password_login: organisation.effectiveSettings.password_login,
    id_host: organisation.idHost,
    scope: organisation.scope,
    logo_url: null as string | null,
    colors: organisation.colors,
    components: [] as unknown[],
  }
}
