import { randomInt } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import transmit from '@adonisjs/transmit/services/main'
import { DomainError, permissionDenied } from '#domain/errors'
import { matchChannel } from '#realtime/channels'
import { hub, logRealtimeError, type LocalStream, type StreamLike } from '#realtime/hub'
import { ensureRealtime, realtimeSettings } from '#realtime/runtime'
import { closeConnection, openConnection, streamsBeyondLimit } from '#realtime/presence'
import { streamAuthRef } from '#realtime/stream_auth'
import { streamValidator, subscriptionValidator } from '#validators/realtime'

/**
 * The Transmit routes (api.md §7.1): the event stream and (un)subscribe.
 * Transmit's own controllers are replaced so that the stream has an owner
 * (the authenticated user, §7.5), a randomised `retry:` hint (§7.6), a
 * connection row (domain §17.5) and the per-user stream limit (§7.11), and so
 * that a subscribe reaching another instance than the stream's is forwarded.
 * Authorisation still goes through `transmit.authorize` (start/transmit.ts).
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

    const response = ctx.response.response
    const stream = transmit.createStream({
      uid,
      // Not the HttpContext: Transmit keeps `context` in closures for the stream's whole life,
      // and a request context per idle stream is most of its memory.
      context: null as never,
      request: ctx.request.request,
      response,
      injectResponseHeaders: ctx.response.getHeaders(),
    }) as unknown as StreamLike
    // Randomised reconnect hint so that clients never reconnect in lockstep (api.md §7.6).
    stream.push(`retry: ${randomInt(1000, 5001)}\n\n`)

    const local: LocalStream = {
      uid,
      userId: user.id,
      organisationId: ctx.organisation.id,
      authRef: streamAuthRef(ctx),
      stream,
      response,
      channels: new Set(),
      held: new Map(),
      connectionId: null,
      closeCode: null,
      openedAt: Date.now(),
    }
    hub.attach(local)
    let closed = false
    response.once('close', () => {
      closed = true
      hub.detach(local)
      void store.releaseStream(uid, hub.instance).catch(() => undefined)
      if (local.connectionId !== null) {
        void closeConnection(
          local.organisationId,
          local.connectionId,
          local.closeCode ?? 1000
        ).catch((error) => logRealtimeError(error, 'closing a connection row'))
      }
    })

    void this.#track(local, () => closed).catch((error) =>
      logRealtimeError(error, 'tracking a connection')
    )
    return ctx.response.stream(stream as never)
  }

  /** Connection row and the per-user stream limit: the oldest streams beyond it are closed with 4003. */
  async #track(local: LocalStream, isClosed: () => boolean) {
    const row = await openConnection({
      organisationId: local.organisationId,
      userId: local.userId,
      uid: local.uid,
      authRef: local.authRef,
      instance: hub.instance,
    })
    local.connectionId = row.id
    if (isClosed()) await closeConnection(local.organisationId, row.id, local.closeCode ?? 1000)
    const excess = await streamsBeyondLimit(
      local.organisationId,
      local.userId,
      realtimeSettings.maxStreamsPerUser
    )
    for (const connection of excess) {
      await hub.closeStreams({ uid: connection.streamUid }, 4003)
      await closeConnection(local.organisationId, connection.id, 4003)
    }
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
      await transmit.subscribe({ uid, channel, context: ctx, skipAuthorization: true })
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
      await transmit.unsubscribe({ uid, channel, context: ctx })
    } else {
      await hub.remote('unsubscribe', uid, channel, user.id)
    }
    return ctx.response.noContent()
  }
}
