import { createHash, randomBytes } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import AuthenticateMiddleware from '#middleware/authenticate_middleware'
import User from '#models/user'
import { DomainError } from '#domain/errors'
import { hub } from '#realtime/hub'
import { ensureRealtime } from '#realtime/runtime'

/**
 * Stream authentication (api.md §3.6): the browser cookie, or a single-use
 * ticket for bearer clients that cannot set headers on EventSource. Tickets
 * live 60 seconds in the realtime store (shared by all instances), stored
 * under their SHA-256 so that the store never holds a usable ticket.
 */
export const TICKET_TTL_SECONDS = 60

interface TicketValue {
  userId: number
  organisationId: number
  authRef: string | null
}

const digest = (ticket: string) => createHash('sha256').update(ticket).digest('hex')

/** Which login a stream belongs to: closed when that login ends (logout). */
export function streamAuthRef(ctx: HttpContext): string | null {
  const fromTicket = (ctx as HttpContext & { realtimeAuthRef?: string | null }).realtimeAuthRef
  if (fromTicket !== undefined) return fromTicket
  if (ctx.authMethod === 'token') {
    const token = ctx.auth.use('api').user?.currentAccessToken
    return token ? `token:${String(token.identifier)}` : null
  }
  const loginId = ctx.session?.get('browser_login_id')
  return loginId ? `login:${loginId}` : null
}

export async function issueTicket(ctx: HttpContext) {
  await ensureRealtime()
  const ticket = randomBytes(24).toString('base64url')
  const value: TicketValue = {
    userId: ctx.currentUser!.id,
    organisationId: ctx.organisation.id,
    authRef: streamAuthRef(ctx),
  }
  await hub.store!.putTicket(digest(ticket), JSON.stringify(value), TICKET_TTL_SECONDS)
  return { ticket, expires_in: TICKET_TTL_SECONDS }
}

/**
 * Route middleware of GET /__transmit/events: `?ticket=` authenticates by the
 * ticket (and only by it), anything else goes through the API authentication.
 */
export async function streamAuthentication(ctx: HttpContext, next: NextFn) {
  const ticket = ctx.request.qs().ticket
  if (ticket === undefined) return new AuthenticateMiddleware().handle(ctx, next)
  ctx.currentUser = null
  ctx.authMethod = null
  await ensureRealtime()
  const raw = typeof ticket === 'string' ? await hub.store!.takeTicket(digest(ticket)) : null
  if (!raw) throw new DomainError('auth.unauthenticated', 'Invalid or expired stream ticket')
  const value = JSON.parse(raw) as TicketValue
  if (value.organisationId !== ctx.organisation.id) {
    throw new DomainError('auth.wrong_organisation', "You're logged in to another organisation")
  }
  const user = await User.findInOrganisation(value.organisationId, value.userId)
  if (!user) throw new DomainError('auth.unauthenticated', 'Invalid or expired stream ticket')
  if (!ctx.organisation.active)
    throw new DomainError('auth.organisation_inactive', 'This organisation is inactive')
  if (!user.isActive) throw new DomainError('auth.user_inactive', 'This account is inactive')
  ctx.currentUser = user
  ctx.authMethod = 'token'
  ;(ctx as HttpContext & { realtimeAuthRef?: string | null }).realtimeAuthRef = value.authRef
  return next()
}
