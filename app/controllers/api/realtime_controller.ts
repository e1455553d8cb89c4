import { readFileSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { DomainError, notFound, permissionDenied } from '#domain/errors'
import { matchChannel } from '#realtime/channels'
import { authoriseChannel } from '#realtime/authorisers'
import { hub } from '#realtime/hub'
import { ensureRealtime, realtimeSettings } from '#realtime/runtime'
import { sectionsFor, type SectionContext } from '#realtime/snapshot_sections'
import { issueTicket } from '#realtime/stream_auth'
import { touchUser } from '#realtime/presence'
import { sendJson } from '#services/compression'
import { heartbeatValidator, replayValidator, snapshotValidator } from '#validators/realtime'

/** Shared sections cached per (channel, epoch, seq, section) for a few seconds (api.md §7.4). */
const SHARED_CACHE_MS = 3000
const sharedCache = new Map<string, { expires: number; messages: Promise<string> }>()
let building = 0

const backendVersion = (() => {
  try {
    return (
      (JSON.parse(readFileSync(app.makePath('package.json'), 'utf8')) as { version?: string })
        .version ?? null
    )
  } catch {
    return null
  }
})()

/** The realtime helper endpoints (api.md §6.24). */
export default class RealtimeController {
  /** Authorisation of snapshot and replay: 404 for what cannot be seen, 403 otherwise (api.md §7.5). */
  async #authorise(ctx: HttpContext, channel: string) {
    const matched = matchChannel(channel)
    if (!matched) throw notFound('No such channel')
    const decision = await authoriseChannel(
      { user: ctx.currentUser!, organisation: ctx.organisation },
      channel
    )
    if (decision === 'not_found') throw notFound('No such channel')
    if (decision === 'forbidden') throw permissionDenied('realtime.subscribe')
    return matched
  }

  async snapshot(ctx: HttpContext) {
    const { channel, sections: only } = await ctx.request.validateUsing(snapshotValidator)
    const matched = await this.#authorise(ctx, channel)
    // Admission control (api.md §7.11): excess snapshot builds are refused, not queued.
    if (building >= realtimeSettings.snapshotConcurrency) {
      ctx.response.header('Retry-After', String(randomInt(1, 6)))
      throw new DomainError(
        'realtime.busy',
        'Too many snapshots are being built; try again shortly'
      )
    }
    building++
    try {
      await ensureRealtime()
      // The cursor first: every message with seq ≤ it is reflected in what we read next.
      const cursor = await hub.store!.cursor(channel)
      const wanted = only
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean)
      const context: SectionContext = {
        user: ctx.currentUser!,
        organisation: ctx.organisation,
        channel,
        kind: matched.kind,
        params: matched.params,
      }
      // Sections are serialised one by one; shared ones are cached already serialised.
      const sections: string[] = []
      for (const section of sectionsFor(matched.kind)) {
        if (wanted && !wanted.includes(section.name)) continue
        const head = `{"name":${JSON.stringify(section.name)},`
        try {
          if (section.enabled && !(await section.enabled(context))) continue
          const messages = section.shared
            ? await cached(`${channel}|${cursor.epoch}|${cursor.seq}|${section.name}`, async () =>
                JSON.stringify(await section.collect(context))
              )
            : JSON.stringify(await section.collect(context))
          sections.push(`${head}"complete":true,"failed":false,"messages":${messages}}`)
        } catch (error) {
          ctx.logger.error(
            { err: error, section: section.name, channel },
            'realtime: snapshot section failed'
          )
          sections.push(`${head}"complete":false,"failed":true,"messages":[]}`)
        }
      }
      return await sendJson(
        ctx,
        `{"channel":${JSON.stringify(channel)},"epoch":${JSON.stringify(cursor.epoch)},` +
          `"seq":${cursor.seq},"generated_at":"${new Date().toISOString()}",` +
          `"sections":[${sections.join(',')}]}`
      )
    } finally {
      building--
    }
  }

  async replay(ctx: HttpContext) {
    const { channel, epoch, after } = await ctx.request.validateUsing(replayValidator)
    await this.#authorise(ctx, channel)
    await ensureRealtime()
    const envelopes = await hub.store!.replay(channel, epoch, after)
    if (!envelopes) {
      throw new DomainError(
        'realtime.replay_unavailable',
        'These messages are no longer available; reload the snapshot'
      )
    }
    // The stored envelopes are already JSON: no parse/serialise round trip.
    return sendJson(
      ctx,
      `{"channel":${JSON.stringify(channel)},"epoch":${JSON.stringify(epoch)},"messages":[${envelopes.join(',')}]}`
    )
  }

  async tickets(ctx: HttpContext) {
    return issueTicket(ctx)
  }

  async heartbeat(ctx: HttpContext) {
    await ctx.request.validateUsing(heartbeatValidator)
    await touchUser(ctx.organisation.id, ctx.currentUser!.id)
    return { server_time: new Date().toISOString() }
  }

  async versions() {
    return { backend: backendVersion, frontend: env.get('FRONTEND_VERSION') ?? null }
  }
}

function cached(key: string, build: () => Promise<string>) {
  const now = Date.now()
  const hit = sharedCache.get(key)
  if (hit && hit.expires > now) return hit.messages
  if (sharedCache.size > 1000) {
    for (const [entry, value] of sharedCache) if (value.expires <= now) sharedCache.delete(entry)
  }
  const messages = build()
  sharedCache.set(key, { expires: now + SHARED_CACHE_MS, messages })
  messages.catch(() => sharedCache.delete(key))
  return messages
}
