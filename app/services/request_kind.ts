import type { HttpContext } from '@adonisjs/core/http'

/** API and realtime requests get JSON errors; everything else is the admin UI. */
export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/__transmit/')
}

export function wantsJson(ctx: HttpContext): boolean {
  return isApiPath(ctx.request.url())
}
