import type { HttpContext } from '@adonisjs/core/http'
import OrganisationSigningKey from '#models/organisation_signing_key'
import { activeSigningKey, publicKeyPayload } from '#services/signing_keys'

/** The organisation's result-signing keys (api.md §11.3, beyond.md B-NEW-01). */
export default class SigningKeysController {
  /** GET /api/organisation/signing-key: `{algorithm, public_key, fingerprint}`. */
  async show(ctx: HttpContext) {
    const key = await activeSigningKey(ctx.organisation.id)
    const payload = publicKeyPayload(key)
    return {
      algorithm: payload.algorithm,
      public_key: payload.public_key,
      fingerprint: payload.fingerprint,
    }
  }

  /** GET /.well-known/voting-keys.json: every key of the host's organisation (old ones stay verifiable). */
  async wellKnown(ctx: HttpContext) {
    await activeSigningKey(ctx.organisation.id)
    const keys = await OrganisationSigningKey.forOrganisation(ctx.organisation.id).orderBy('id')
    ctx.response.header('cache-control', 'public, max-age=300')
    return { organisation: ctx.organisation.id, keys: keys.map(publicKeyPayload) }
  }
}
