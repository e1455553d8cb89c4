import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { DomainError, notFound } from '#domain/errors'
import { createAccessTokenValidator } from '#validators/auth'
import { requestActor } from '#middleware/authenticate_middleware'
import CreateAccessToken from '#actions/auth/create_access_token'
import RevokeAccessTokens from '#actions/auth/revoke_access_tokens'

const toIso = (value: unknown) => (value ? new Date(value as string).toISOString() : null)

/** Personal bearer tokens (api.md §3.3). */
export default class AccessTokensController {
  async index({ currentUser: user }: HttpContext) {
    const rows = await db
      .from('auth_access_tokens')
      .where('tokenable_id', user!.id)
      .orderBy('id', 'desc')
      .select('id', 'name', 'abilities', 'created_at', 'last_used_at', 'expires_at')
    return {
      data: rows.map((row) => ({
        id: row.id,
        name: row.name,
        abilities: JSON.parse(row.abilities),
        created: toIso(row.created_at),
        last_used_at: toIso(row.last_used_at),
        expires_at: toIso(row.expires_at),
      })),
    }
  }

  async store(ctx: HttpContext) {
    // Tokens are created from a browser login only: a token cannot mint tokens.
    if (ctx.authMethod !== 'session') {
      throw new DomainError(
        'permission.denied',
        'Tokens can only be created from a browser login',
        {
          meta: { permission: 'token.create' },
        }
      )
    }
    const input = await ctx.request.validateUsing(createAccessTokenValidator)
    const token = await new CreateAccessToken().execute({
      user: ctx.currentUser!,
      name: input.name,
      abilities: (input.abilities ?? ['*']) as ['*'] | ['read'],
      expiresInDays: input.expires_in_days ?? 90,
      actor: requestActor(ctx),
    })
    return ctx.response.status(201).send({
      id: Number(token.identifier),
      name: token.name,
      abilities: token.abilities,
      expires_at: token.expiresAt?.toISOString() ?? null,
      token: token.value!.release(),
    })
  }

  async destroy(ctx: HttpContext) {
    const revoked = await new RevokeAccessTokens().execute({
      user: ctx.currentUser!,
      tokenId: ctx.params.id,
      actor: requestActor(ctx),
    })
    if (revoked === 0) throw notFound()
    return ctx.response.noContent()
  }
}
