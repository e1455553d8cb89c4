import type Organisation from '#models/organisation'

/** GET /api/organisation (api.md §6.3). */
export function organisationForApi(organisation: Organisation, extras: { loginUrl?: string | null } = {}) {
  return {
    id: organisation.id,
    rev: organisation.rev,
    title: organisation.title,
    active: organisation.active,
    body: organisation.body,
    help_info: organisation.helpInfo,
    page_title: organisation.pageTitle || organisation.title,
    login_url: extras.loginUrl ?? null,
    password_login: organisation.effectiveSettings.password_login,
    id_host: organisation.idHost,
    scope: organisation.scope,
    logo_url: null as string | null,
    colors: organisation.colors,
    components: [] as unknown[],
  }
}
