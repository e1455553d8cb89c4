/*
|--------------------------------------------------------------------------
| Realtime (api.md §7, domain §17)
|--------------------------------------------------------------------------
| Every channel pattern gets a `transmit.authorize` callback: Transmit treats
| a channel without one as public, and there are no public channels. The
| callbacks and the snapshot/replay endpoints share `authoriseChannel`, which
| calls the domain predicates. The hub is the sink of publishAfterCommit.
*/
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import transmit from '@adonisjs/transmit/services/main'
import type { HttpContext } from '@adonisjs/core/http'
import { channelPatterns } from '#realtime/channels'
import { authoriseChannel } from '#realtime/authorisers'
import { registerBuiltInChannelRules } from '#realtime/channel_rules'
import { registerBuiltInSections } from '#realtime/builtin_sections'
import { registerActiveUsers } from '#realtime/active_users'
import { registerMeetingSections } from '#realtime/meeting_sections'
import { registerSink, settlePublishing } from '#realtime/publish'
import { hub, logRealtimeError } from '#realtime/hub'
import { ensureRealtime, realtimeSettings } from '#realtime/runtime'
import { setPollStatusThrottle } from '#realtime/poll_status'
import { touchUser } from '#realtime/presence'
import './routes/realtime.js'

registerBuiltInChannelRules()
registerBuiltInSections()
registerMeetingSections()
registerActiveUsers()
setPollStatusThrottle(realtimeSettings.pollStatusThrottleMs)

for (const pattern of Object.values(channelPatterns)) {
  transmit.authorize<Record<string, string>>(pattern, async (ctx: HttpContext, params) => {
    if (!ctx?.currentUser) return false
    const channel = pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => params[name])
    return (
      (await authoriseChannel(
        { user: ctx.currentUser, organisation: ctx.organisation },
        channel
      )) === 'allow'
    )
  })
}

hub.bridge = {
  subscribe: async (uid, channel) => {
    await transmit.subscribe({ uid, channel, context: null as never, skipAuthorization: true })
    return true
  },
  unsubscribe: async (uid, channel) => {
    await transmit.unsubscribe({ uid, channel, context: null as never })
  },
}

registerSink(async (messages) => {
  try {
    await ensureRealtime()
    await hub.publish(messages)
  } catch (error) {
    logRealtimeError(error, 'publishing')
  }
})

// Authenticated API requests count as activity (domain §17.5), at most one write per user a minute.
emitter.on('http:request_completed', ({ ctx }) => {
  const user = ctx.currentUser
  if (!user || !ctx.request.url().startsWith('/api/')) return
  touchUser(user.organisationId, user.id).catch((error) =>
    logRealtimeError(error, 'recording activity')
  )
})

// Diagnostics: `kill -USR2 <pid>` prints one JSON line with the memory use after a full GC (when
// node runs with --expose-gc) and the number of streams; bench:fanout measures memory per stream with it.
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  process.stdout.write(
    `${JSON.stringify({ realtime_memory: process.memoryUsage(), streams: hub.streams.size, gc: !!gc })}\n`
  )
})

// Server shutdown: every stream is told (1001) before the process goes (api.md §8.2 system.closing).
app.terminating(async () => {
  await settlePublishing()
  for (const local of [...hub.streams.values()]) hub.close(local, 1001)
  await hub.stop()
})
