import { randomInt } from 'node:crypto'
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { hub, logRealtimeError, type LocalStream } from '#realtime/hub'
import { realtimeSettings } from '#realtime/runtime'
import { closeConnection, openConnection, streamsBeyondLimit } from '#realtime/presence'
import { startEventStream } from '#realtime/sse'

/**
 * Opens an authenticated event stream on this instance (GET /__transmit/events):
 * the response becomes the stream, the hub indexes it, a connection row is
 * written (domain §17.5) and the per-user stream limit applied (§7.11).
 *
 * Takes plain values, never the HttpContext: whatever the stream's listeners
 * and records reference lives as long as the stream, and a request context
 * (request, response, session, auth, bouncer, logger, container resolver) per
 * idle stream was most of its memory.
 */
export function openStream(input: {
  uid: string
  userId: number
  organisationId: number
  authRef: string | null
  response: ServerResponse
  headers: OutgoingHttpHeaders
}) {
  const { response } = input
  // The client went away while the stream was being authorised: its 'close' has been emitted.
  if (response.destroyed || response.closed) {
    void hub.store?.releaseStream(input.uid, hub.instance).catch(() => undefined)
    return null
  }
  // @adonisjs/static points every Node response back at its HttpResponse (and so at the
  // whole HttpContext); the stream outlives the request, the back-reference must not.
  delete (response as ServerResponse & { parent?: unknown }).parent
  // Randomised reconnect hint so that clients never reconnect in lockstep (api.md §7.6).
  startEventStream(response, input.headers, randomInt(1000, 5001))

  const local: LocalStream = {
    uid: input.uid,
    userId: input.userId,
    organisationId: input.organisationId,
    authRef: input.authRef,
    response,
    channels: new Set(),
    held: null,
    connectionId: null,
    closeCode: null,
    openedAt: Date.now(),
  }
  hub.attach(local)
  response.once('close', () => onClose(local))
  void track(local).catch((error) => logRealtimeError(error, 'tracking a connection'))
  return local
}

function onClose(local: LocalStream) {
  hub.detach(local)
  void hub.store?.releaseStream(local.uid, hub.instance).catch(() => undefined)
  // Without a row yet, track() closes it once written.
  if (local.connectionId !== null) {
    void closeConnection(local.organisationId, local.connectionId, local.closeCode ?? 1000).catch(
      (error) => logRealtimeError(error, 'closing a connection row')
    )
  }
}

/** Connection row and the per-user stream limit: the oldest streams beyond it are closed with 4003. */
async function track(local: LocalStream) {
  const row = await openConnection({
    organisationId: local.organisationId,
    userId: local.userId,
    uid: local.uid,
    authRef: local.authRef,
    instance: hub.instance,
  })
  local.connectionId = row.id
  // Closed while the row was being written: onClose could not close it.
  if (local.response.closed) {
    await closeConnection(local.organisationId, row.id, local.closeCode ?? 1000)
  }
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
