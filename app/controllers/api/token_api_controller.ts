import type { HttpContext } from '@adonisjs/core/http'
import { apiKeyActor } from '#middleware/api_key_middleware'
import { meetingPayload } from '#transformers/meeting_transformer'
import { recordKeyAccess } from '#actions/integrations/meeting_api_keys'

/**
 * The token API (api.md §6.23, domain §18.4): every operation is confined to
 * the key's meeting and attributed to the key's system user. Callers without
 * a key (browser login, bearer token) get empty results from read operations.
 */
export default class TokenApiController {
  /** GET /api/token-api/meeting (`meeting.list`): the key's meeting as a single object. */
  async meeting(ctx: HttpContext) {
    if (!ctx.apiKey) return ctx.response.noContent()
    const meeting = ctx.apiKeyMeeting!
    await recordKeyAccess(ctx.apiKey, apiKeyActor(ctx), 'meeting.read', 'Meeting', meeting.id)
    return meetingPayload(meeting)
  }
}
