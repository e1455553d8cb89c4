import type { HttpContext } from '@adonisjs/core/http'
import { hub, logRealtimeError } from '#realtime/hub'
import { ensureRealtime } from '#realtime/runtime'
import { streamAuthRef } from '#realtime/stream_auth'

/** Logout closes the streams of the ended login; "everywhere" closes all of the user's streams (code 4001). */
export async function closeStreamsOnLogout(ctx: HttpContext, userId: number, everywhere: boolean) {
  try {
    await ensureRealtime()
    if (everywhere) return await hub.closeStreams({ userId }, 4001)
    const authRef = streamAuthRef(ctx)
    if (authRef) await hub.closeStreams({ userId, authRef }, 4001)
  } catch (error) {
    logRealtimeError(error, 'closing streams on logout')
  }
}
