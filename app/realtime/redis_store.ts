import type { RedisConnection } from '@adonisjs/redis'
import {
  defaultReplayOptions,
  newEpoch,
  type AppendResult,
  type ControlMessage,
  type Cursor,
  type RealtimeStore,
  type ReplayOptions,
  type StoreHandlers,
  type StreamOwner,
} from '#realtime/store'

/*
 | One Lua script per operation: Redis runs a script atomically, so "INCR the
 | channel's seq, append to its replay list, PUBLISH to every instance" is one
 | critical section per channel across all instances (api.md §7.7, §7.10).
 | A channel is a hash {epoch, seq} plus a list of "<ts> <envelope>" entries;
 | a missing hash (reset store, expired idle channel) starts a new epoch.
 */
const APPEND = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
  redis.call('DEL', KEYS[2])
end
local n = #ARGV - 8
local last = redis.call('HINCRBY', KEYS[1], 'seq', n)
local first = last - n + 1
local out = {}
for i = 1, n do
  local env = '{"v":1,"epoch":"' .. epoch .. '","seq":' .. (first + i - 1) .. ',' .. ARGV[8 + i]
  redis.call('RPUSH', KEYS[2], ARGV[2] .. ' ' .. env)
  out[i] = env
end
local keep = tonumber(ARGV[3])
local cap = tonumber(ARGV[5])
local oldest = tonumber(ARGV[2]) - tonumber(ARGV[4])
local len = redis.call('LLEN', KEYS[2])
while len > keep do
  local head = redis.call('LINDEX', KEYS[2], 0)
  local ts = tonumber(string.sub(head, 1, string.find(head, ' ') - 1))
  if len <= cap and ts >= oldest then break end
  redis.call('LPOP', KEYS[2])
  len = len - 1
end
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('PUBLISH', ARGV[7], '{"k":"e","c":' .. ARGV[8] .. ',"e":[' .. table.concat(out, ',') .. ']}')
return {epoch, first, last, out}
`

const CURSOR = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
  redis.call('DEL', KEYS[2])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return {epoch, redis.call('HGET', KEYS[1], 'seq')}
`

const REPLAY = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if (not epoch) or epoch ~= ARGV[1] then return false end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
local after = tonumber(ARGV[2])
if after > seq or after < 0 then return false end
local len = redis.call('LLEN', KEYS[2])
local firstKept = seq - len + 1
if after + 1 < firstKept then return false end
return redis.call('LRANGE', KEYS[2], after + 1 - firstKept, -1)
`

const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then
  local owner = cjson.decode(current)
  if tostring(owner.userId) ~= ARGV[2] then return current end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return ARGV[1]
`

const RELEASE = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).instance == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`

const SLOT = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl
`

interface ScriptedRedis {
  rtAppend(...args: Array<string | number>): Promise<[string, number, number, string[]]>
  rtCursor(...args: Array<string | number>): Promise<[string, string]>
  rtReplay(...args: Array<string | number>): Promise<string[] | null>
  rtClaim(...args: Array<string | number>): Promise<string>
  rtRelease(...args: Array<string | number>): Promise<number>
  rtSlot(...args: Array<string | number>): Promise<number>
}

export class RedisRealtimeStore implements RealtimeStore {
  readonly kind = 'redis' as const
  #bus: string
  #listening = false

  constructor(
    private connection: RedisConnection,
    private prefix: string,
    readonly options: ReplayOptions = defaultReplayOptions
  ) {
    this.#bus = `${prefix}bus`
    const io = connection.ioConnection
    io.defineCommand('rtAppend', { numberOfKeys: 2, lua: APPEND })
    io.defineCommand('rtCursor', { numberOfKeys: 2, lua: CURSOR })
    io.defineCommand('rtReplay', { numberOfKeys: 2, lua: REPLAY })
    io.defineCommand('rtClaim', { numberOfKeys: 1, lua: CLAIM })
    io.defineCommand('rtRelease', { numberOfKeys: 1, lua: RELEASE })
    io.defineCommand('rtSlot', { numberOfKeys: 1, lua: SLOT })
  }

  get #io(): ScriptedRedis {
    return this.connection.ioConnection as unknown as ScriptedRedis
  }

  #keys(channel: string) {
    return [`${this.prefix}ch:${channel}`, `${this.prefix}log:${channel}`]
  }

  async append(channel: string, tails: string[], nowMs: number): Promise<AppendResult> {
    const { keepMessages, retentionMs, hardCap, channelTtlSeconds } = this.options
    const [epoch, first, last, envelopes] = await this.#io.rtAppend(
      ...this.#keys(channel),
      newEpoch(),
      nowMs,
      keepMessages,
      retentionMs,
      hardCap,
      channelTtlSeconds,
      this.#bus,
      JSON.stringify(channel),
      ...tails
    )
    return { epoch, first: Number(first), seq: Number(last), envelopes }
  }

  async cursor(channel: string): Promise<Cursor> {
    const [epoch, seq] = await this.#io.rtCursor(
      ...this.#keys(channel),
      newEpoch(),
      this.options.channelTtlSeconds
    )
    return { epoch, seq: Number(seq) }
  }

  async replay(channel: string, epoch: string, after: number): Promise<string[] | null> {
    const entries = await this.#io.rtReplay(...this.#keys(channel), epoch, after)
    if (!entries) return null
    return entries.map((entry) => entry.slice(entry.indexOf(' ') + 1))
  }

  async publishControl(message: ControlMessage) {
    await this.connection.publish(this.#bus, JSON.stringify({ k: 'c', m: message }))
  }

  async listen(handlers: StoreHandlers) {
    if (this.#listening) return
    this.#listening = true
    await new Promise<void>((resolve, reject) => {
      this.connection.subscribe(
        this.#bus,
        (raw: string) => {
          const message = JSON.parse(raw) as
            { k: 'e'; c: string; e: unknown[] } | { k: 'c'; m: ControlMessage }
          if (message.k === 'c') return handlers.control(message.m)
          // Envelopes were parsed by JSON.parse; serialise each once again for all local recipients.
          handlers.envelopes(
            message.c,
            message.e.map((envelope) => JSON.stringify(envelope))
          )
        },
        { onSubscription: () => resolve(), onError: (error: unknown) => reject(error) }
      )
    })
  }

  async putTicket(ticket: string, value: string, ttlSeconds: number) {
    await this.connection.set(`${this.prefix}ticket:${ticket}`, value, 'EX', ttlSeconds)
  }

  async takeTicket(ticket: string) {
    return this.connection.getdel(`${this.prefix}ticket:${ticket}`)
  }

  async claimStream(uid: string, owner: StreamOwner): Promise<StreamOwner> {
    const value = await this.#io.rtClaim(
      `${this.prefix}uid:${uid}`,
      JSON.stringify(owner),
      String(owner.userId),
      this.options.channelTtlSeconds
    )
    return JSON.parse(value) as StreamOwner
  }

  async streamOwner(uid: string) {
    const value = await this.connection.get(`${this.prefix}uid:${uid}`)
    return value ? (JSON.parse(value) as StreamOwner) : null
  }

  async releaseStream(uid: string, instance: string) {
    await this.#io.rtRelease(`${this.prefix}uid:${uid}`, instance)
  }

  async acquireSlot(key: string, ms: number) {
    return Number(await this.#io.rtSlot(`${this.prefix}slot:${key}`, Math.max(1, Math.round(ms))))
  }

  async setFlag(key: string, ttlMs: number) {
    await this.connection.set(
      `${this.prefix}flag:${key}`,
      '1',
      'PX',
      Math.max(1, Math.round(ttlMs))
    )
  }

  async takeFlag(key: string) {
    return (await this.connection.getdel(`${this.prefix}flag:${key}`)) !== null
  }

  async once(key: string, ttlMs: number) {
    return (
      (await this.connection.set(
        `${this.prefix}once:${key}`,
        '1',
        'PX',
        Math.round(ttlMs),
        'NX'
      )) === 'OK'
    )
  }

  async close() {
    if (this.#listening) await this.connection.unsubscribe(this.#bus).catch(() => undefined)
    this.#listening = false
  }
}
