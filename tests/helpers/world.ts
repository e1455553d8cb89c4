import { randomUUID } from 'node:crypto'
import type { ApiClient, ApiRequest, ApiResponse } from '@japa/api-client'
import type Organisation from '#models/organisation'
import type User from '#models/user'
import CreateOrganisation from '#actions/organisations/create_organisation'
import CreateUser from '#actions/users/create_user'
import ChangeOrganisationRoles from '#actions/roles/change_organisation_roles'
import { systemActor } from '#services/audit_log'
import type { OrganisationRoleCode } from '#domain/permissions/roles'

export const PASSWORD = 'correct horse battery staple'

/**
 * Given/when helpers for functional tests. Every organisation gets a unique
 * host, so tests never collide even without a global transaction.
 */
export async function givenOrganisation(title = 'Org') {
  const host = `${randomUUID().slice(0, 8)}.test`
  const { organisation } = await new CreateOrganisation().execute({
    title,
    hosts: [host],
    passwordLogin: true,
    actor: systemActor('cli'),
  })
  return { organisation, host }
}

export async function givenUser(
  organisation: Organisation,
  options: { roles?: OrganisationRoleCode[]; email?: string; firstName?: string } = {}
): Promise<User> {
  const { user } = await new CreateUser().execute({
    organisation,
    email: options.email ?? `${randomUUID().slice(0, 8)}@example.org`,
    firstName: options.firstName ?? 'Test',
    lastName: 'User',
    password: PASSWORD,
    actor: systemActor('cli'),
  })
  if (options.roles?.length) {
    await new ChangeOrganisationRoles().execute({
      organisation,
      userIds: [user.id],
      roles: options.roles,
      mode: 'add',
      actor: systemActor('cli'),
    })
  }
  return user
}

/** A browser login made through the real login endpoint: cookies + CSRF token. */
export interface BrowserSession {
  host: string
  cookie: string
  xsrf: string
}

export function cookieHeaderFrom(response: ApiResponse, previous = ''): string {
  const jar = new Map<string, string>()
  for (const part of previous.split(/;\s*/).filter(Boolean)) {
    const [name, ...rest] = part.split('=')
    jar.set(name, rest.join('='))
  }
  const setCookie = response.headers()['set-cookie'] as string[] | string | undefined
  for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const [pair] = line.split(';')
    const [name, ...rest] = pair.split('=')
    const value = rest.join('=')
    if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name)
    else jar.set(name, value)
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

export async function loginBrowser(
  client: ApiClient,
  host: string,
  user: User
): Promise<BrowserSession> {
  const response = await client
    .post('/api/auth/login')
    .header('host', host)
    .json({ email: user.email, password: PASSWORD })
  response.assertStatus(200)
  const cookie = cookieHeaderFrom(response)
  const xsrf = /XSRF-TOKEN=([^;]+)/.exec(cookie)?.[1]
  if (!xsrf) throw new Error('login did not set XSRF-TOKEN')
  return { host, cookie, xsrf: decodeURIComponent(xsrf) }
}

/** Applies a browser session to a request (with the CSRF header unless `csrf: false`). */
export function asBrowser(
  request: ApiRequest,
  session: BrowserSession,
  options: { csrf?: boolean } = {}
) {
  request.header('host', session.host).header('cookie', session.cookie)
  if (options.csrf !== false) request.header('x-xsrf-token', session.xsrf)
  return request
}

export async function createToken(
  client: ApiClient,
  session: BrowserSession,
  abilities: ['*'] | ['read'] = ['*']
): Promise<string> {
  const response = await asBrowser(client.post('/api/auth/tokens'), session).json({
    name: 'test',
    abilities,
  })
  response.assertStatus(201)
  return response.body().token
}

export function asBearer(request: ApiRequest, host: string, token: string) {
  return request.header('host', host).header('authorization', `Bearer ${token}`)
}
