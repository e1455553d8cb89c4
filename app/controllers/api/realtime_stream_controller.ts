import type { HttpContext } from '@adonisjs/core/http'
import transmit from '@adonisjs/transmit/services/main'
import { DomainError, permissionDenied } from '#domain/errors'
import { matchChannel } from '#realtime/channels'
import { hub } from '#realtime/hub'
import { ensureRealtime } from '#realtime/runtime'
import { openStream } from '#realtime/streams'
import { streamAuthRef } from '#realtime/stream_auth'
import { streamValidator, subscriptionValidator } from '#validators/realtime'

/**
 * The Transmit routes (api.md §7.1): the event stream and (un)subscribe.
 * Transmit's own controllers are replaced so that the stream has an owner
 * (the authenticated user, §7.5), a randomised `retry:` hint (§7.6), a
 * connection row (domain §17.5) and the per-user stream limit (§7.11), so
 * that a subscribe reaching another instance than the stream's is forwarded,
 * and so that an idle stream keeps nothing of its request
 * (app/realtime/streams.ts). Authorisation still goes through
 * `transmit.authorize` (start/transmit.ts).
 */
export default class RealtimeStreamController {
  async events(ctx: HttpContext) {
    const { uid } = await ctx.request.validateUsing(streamValidator)
    const user = ctx.currentUser!
    await ensureRealtime()
    const store = hub.store!
    const owner = await store.claimStream(uid, { userId: user.id, instance: hub.instance })
    if (owner.userId !== user.id) {
      throw new DomainError('conflict', 'This stream id is in use', { meta: { uid } })
    }

    openStream({
      uid,
      userId: user.id,
      organisationId: ctx.organisation.id,
      authRef: streamAuthRef(ctx),
      response: ctx.response.response,
      // Headers set by the middleware so far (security headers, request id).
      headers: ctx.response.getHeaders(),
    })
    // The headers are sent: Adonis writes nothing more for this request.
  }

  async subscribe(ctx: HttpContext) {
    const { uid, channel } = await ctx.request.validateUsing(subscriptionValidator)
    const user = ctx.currentUser!
    await ensureRealtime()
    const owner = await hub.store!.streamOwner(uid)
    // A stream of another user is indistinguishable from an unknown one (api.md §7.5, S51).
    if (!owner || owner.userId !== user.id) throw permissionDenied('realtime.stream_owner')
    // No public channels: an unknown name is refused before Transmit would treat it as public.
    if (!matchChannel(channel)) throw permissionDenied('realtime.subscribe')
    const allowed = await transmit.getManager().verifyAccess(channel, ctx)
    if (!allowed) throw permissionDenied('realtime.subscribe')

    if (owner.instance === hub.instance) {
      const local = hub.streams.get(uid)
      if (!local) throw permissionDenied('realtime.stream_owner')
      hub.addSubscription(local, channel)
    } else if (!(await hub.remote('subscribe', uid, channel, user.id))) {
      throw permissionDenied('realtime.stream_owner')
    }
    return ctx.response.noContent()
  }

  async unsubscribe(ctx: HttpContext) {
    const { uid, channel } = await ctx.request.validateUsing(subscriptionValidator)
    const user = ctx.currentUser!
    await ensureRealtime()
    const owner = await hub.store!.streamOwner(uid)
    if (!owner || owner.userId !== user.id) throw permissionDenied('realtime.stream_owner')
    if (owner.instance === hub.instance) {
      const local = hub.streams.get(uid)
      if (local) hub.removeSubscription(local, channel)
    } else {
      await hub.remote('unsubscribe', uid, channel, user.id)
    }
    return ctx.response.noContent()
  }
}
