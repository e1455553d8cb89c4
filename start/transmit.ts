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
import router from '@adonisjs/core/services/router'
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

registerSink(async (messages) => {
  try {
    await ensureRealtime()
    await hub.publish(messages)
  } catch (error) {
    logRealtimeError(error, 'publishing')
  }
})

// Authenticated API requests count as activity (domain §17.5). Deliberately no
// `http:request_completed` listener anywhere: with one, Adonis keeps each request's
// HttpContext until its response finishes, i.e. for an event stream's whole life.
router.use([() => import('#realtime/activity_middleware')])

// Diagnostics: `kill -USR2 <pid>` prints one JSON line with the memory use and the number of
// streams; bench:fanout measures memory per stream with it. With --expose-gc: after an ordinary
// full GC (`realtime_memory`), then after a memory-reducing one (`reduced`), which also hands
// V8's pool of freed heap pages back to the OS (an ordinary GC keeps them resident for reuse).
type GcOptions = { type: 'major'; execution: 'sync'; flavor: 'last-resort' }
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: (options?: GcOptions) => void }).gc
  gc?.()
  const usage = process.memoryUsage()
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  const reduced = process.memoryUsage()
  process.stdout.write(
    `${JSON.stringify({ realtime_memory: usage, reduced, streams: hub.streams.size, gc: !!gc })}\n`
  )
})

// Server shutdown: every stream is told (1001) before the process goes (api.md §8.2 system.closing).
app.terminating(async () => {
  await settlePublishing()
  for (const local of [...hub.streams.values()]) hub.close(local, 1001)
  await hub.stop()
})
