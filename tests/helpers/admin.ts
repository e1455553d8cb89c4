import type { ApiClient, ApiResponse } from '@japa/api-client'
import type User from '#models/user'
import { cookieHeaderFrom, PASSWORD } from '#tests/helpers/world'

/**
 * A browser on the admin screens: real cookies carried by hand and the
 * `_csrf` hidden field read from the last page, like a browser would.
 */
export interface AdminBrowser {
  client: ApiClient
  host: string
  cookie: string
  csrf: string | null
  /** The last page visited: the Referer of the next form post, as in a browser. */
  page: string
}

export function csrfFrom(html: string): string | null {
  return /name=['"]_csrf['"]\s+value=['"]([^'"]+)['"]/.exec(html)?.[1] ?? null
}

export function adminBrowser(client: ApiClient, host: string): AdminBrowser {
  return { client, host, cookie: '', csrf: null, page: '/admin' }
}

/** GET a page without following redirects; keeps cookies and the CSRF token of the page. */
export async function visit(browser: AdminBrowser, path: string): Promise<ApiResponse> {
  const response = await browser.client
    .get(path)
    .header('host', browser.host)
    .header('cookie', browser.cookie)
    .header('accept', 'text/html')
    .redirects(0)
  browser.cookie = cookieHeaderFrom(response, browser.cookie)
  browser.csrf = csrfFrom(response.text()) ?? browser.csrf
  browser.page = path
  return response
}

/**
 * POST a form (urlencoded) without following redirects. The `_csrf` of the
 * last page is included unless `csrf: false`, or replaced by `csrf: '<value>'`.
 */
export async function submit(
  browser: AdminBrowser,
  path: string,
  fields: Record<string, string>,
  options: { csrf?: boolean | string } = {}
): Promise<ApiResponse> {
  const body: Record<string, string> = { ...fields }
  if (options.csrf !== false) {
    const token = typeof options.csrf === 'string' ? options.csrf : browser.csrf
    if (!token) throw new Error('no _csrf token: visit a page with a form first')
    body._csrf = token
  }
  const response = await browser.client
    .post(path)
    .header('host', browser.host)
    .header('cookie', browser.cookie)
    .header('accept', 'text/html')
    .header('referer', `http://${browser.host}${browser.page}`)
    .form(body)
    .redirects(0)
  browser.cookie = cookieHeaderFrom(response, browser.cookie)
  return response
}

/** Logs in through the admin login form; returns the browser at the dashboard. */
export async function loginAdmin(
  client: ApiClient,
  host: string,
  user: User
): Promise<AdminBrowser> {
  const browser = adminBrowser(client, host)
  await visit(browser, '/admin/login')
  const response = await submit(browser, '/admin/login', { email: user.email!, password: PASSWORD })
  if (response.status() !== 302 || redirectedTo(response) !== '/admin') {
    throw new Error(`admin login failed: ${response.status()} → ${response.header('location')}`)
  }
  return browser
}

/** Where a response redirects to, as path + query (redirect back gives an absolute URL). */
export function redirectedTo(response: ApiResponse): string | undefined {
  const location = response.header('location')
  if (!location) return undefined
  const url = new URL(location, 'http://local.invalid')
  return url.pathname + url.search
}
