import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import limiter from '@adonisjs/limiter/services/main'
import db from '@adonisjs/lucid/services/db'
import { DomainError } from '#domain/errors'
import {
  allowsScope,
  REQUESTS_PER_MINUTE_PER_KEY,
  shouldRecordUse,
} from '#domain/integrations/api_keys'
import Meeting from '#models/meeting'
import MeetingApiKey from '#models/meeting_api_key'
import type User from '#models/user'
import type { Actor } from '#services/audit_log'
import AuthenticateMiddleware from '#middleware/authenticate_middleware'
import { dbTime } from '#services/db_time'

export interface TokenApiOptions {
  /** `resource.action` of the operation (domain §18.3). */
  scope: string
  /** Read operations also answer callers without a key (with empty results). */
  read: boolean
}

/** Failed key attempts per client address per minute before 429. */
const FAILED_KEY_ATTEMPTS_PER_MINUTE = 30

const invalidKey = () => new DomainError('api_key.invalid', 'Unknown, expired or revoked API key')

/**
 * Authentication of the token API (api.md §3.4, §6.23, domain §18.3).
 * `Authorization: Api-Key <prefix>.<secret>`: the key must exist in the host's
 * organisation, match, be neither revoked nor expired (else 401
 * api_key.invalid), stay under 60 requests/minute (429), and hold the
 * operation's scope (403 api_key.scope_missing). The request then acts as the
 * key's system user and is confined to the key's meeting.
 * Without a key, a browser login or bearer token may use read operations (the
 * handlers answer empty results); anonymous callers get 1 request/second.
 */
export default class ApiKeyMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: TokenApiOptions) {
    ctx.apiKey = null
    ctx.apiKeyMeeting = null
    const authorization = ctx.request.header('authorization')
    const match = authorization ? /^Api-Key\s+(\S+)\s*$/i.exec(authorization) : null

    if (!match) {
      if (!authorization && !(await ctx.auth.use('web').check())) {
        await limiter
          .use({ requests: 1, duration: '1 second' })
          .consume(`token_api_anon_${ctx.request.ip()}`)
      }
      if (!options.read) throw new DomainError('api_key.invalid', 'This operation needs an API key')
      return new AuthenticateMiddleware().handle(ctx, next)
    }

    const key = await this.resolve(ctx, match[1])
    await limiter
      .use({ requests: REQUESTS_PER_MINUTE_PER_KEY, duration: '1 minute' })
      .consume(`token_api_key_${key.id}`)
    if (!allowsScope(key.scopes, options.scope)) {
      throw new DomainError(
        'api_key.scope_missing',
        `This API key lacks the scope "${options.scope}"`,
        {
          meta: { required_scope: options.scope },
        }
      )
    }
    ctx.apiKey = key
    ctx.currentUser = key.user
    await this.recordUse(key)
    return next()
  }

  private async resolve(ctx: HttpContext, raw: string): Promise<MeetingApiKey & { user: User }> {
    const failures = limiter.use({ requests: FAILED_KEY_ATTEMPTS_PER_MINUTE, duration: '1 minute' })
    const failureKey = `token_api_failed_${ctx.request.ip()}`
    const refuse = async () => {
      await failures.consume(failureKey)
      return invalidKey()
    }
    const dot = raw.indexOf('.')
    if (dot <= 0) throw await refuse()
    const prefix = raw.slice(0, dot)
    const secret = raw.slice(dot + 1)

    const key = await MeetingApiKey.acrossOrganisations(
      'the token API finds a key by its public prefix'
    )
      .where('prefix', prefix)
      .preload('user')
      .first()
    // A key works only on the hosts of its own organisation.
    if (
      !key ||
      key.organisationId !== ctx.organisation.id ||
      !key.secretMatches(secret) ||
      !key.isActive()
    ) {
      throw await refuse()
    }
    if (!ctx.organisation.active)
      throw new DomainError('auth.organisation_inactive', 'This organisation is inactive')
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, key.meetingId)
    if (!meeting) throw await refuse()
    ctx.apiKeyMeeting = meeting
    return key as MeetingApiKey & { user: User }
  }

  /** `last_used` at most once a minute (domain §18.1), without racing other requests. */
  private async recordUse(key: MeetingApiKey) {
    const now = DateTime.utc()
    if (!shouldRecordUse(key.lastUsed?.toJSDate() ?? null, now.toJSDate())) return
    await db
      .from('meeting_api_keys')
      .where('id', key.id)
      .where((query) =>
        query.whereNull('last_used').orWhere('last_used', '<', dbTime(now.minus({ minutes: 1 })))
      )
      .update({ last_used: dbTime(now) })
  }
}

/** The audit actor of a token-API request: the key's system user, naming the key (domain §19.1). */
export function apiKeyActor(ctx: HttpContext): Actor {
  return {
    userId: ctx.apiKey!.userId,
    apiKeyId: ctx.apiKey!.id,
    source: 'token_api',
    requestId: ctx.request.id() ?? null,
    remoteAddr: ctx.request.ip(),
  }
}

/**
 * Route middleware for one token-API operation. The options ride along on the
 * function so that the OpenAPI document can name the scope of each route.
 */
export const tokenApi = (options: TokenApiOptions) =>
  Object.assign(
    (ctx: HttpContext, next: NextFn) => new ApiKeyMiddleware().handle(ctx, next, options),
    {
      tokenApi: options,
    }
  )

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    /** The meeting API key of a token-API request, or null (browser login / bearer). */
    apiKey: MeetingApiKey | null
    apiKeyMeeting: Meeting | null
  }
}
