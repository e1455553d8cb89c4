/*
| Realtime fan-out benchmark (npm run bench:fanout [-- --clients N --changes K --timeout S]).
| Also: --source (the TypeScript sources through ts-exec instead of the compiled server that
| `node ace build` makes first, as in production), --port P, --settle S, --hold S, --no-docs.
|
| 1. Migrates a fresh PostgreSQL database (PG_DB_NAME, default `fanout_bench`; created when missing).
| 2. Seeds one organisation, an ongoing meeting with 200 agenda items and 2,000 proposals, a
|    moderator and a participant with bearer tokens (seeding is not what is measured).
| 3. Starts two app instances (build/bin/server.js) on loopback with TRANSMIT_TRANSPORT=redis.
| 4. Opens N SSE streams (default 10,000) split over both instances: stream ticket, GET
|    /__transmit/events, subscribe to the meeting's participants channel. Opening is bounded by
|    --timeout seconds; the numbers below say how many streams were really open.
| 5. The moderator changes an agenda item K times (alternating instances). Every stream must
|    receive every change (`agenda_item.changed`, contiguous seq): p50/p99 delivery latency from
|    the moment the PATCH was sent, messages lost, and server RSS per idle connection.
| 6. Time from subscribe to full initial state: subscribe + GET snapshot of the participants and
|    moderators channels (200 items, 2,000 proposals), cold (after a change, so the shared-section
|    cache is empty) and warm.
| 7. Prints the numbers and writes its own section of docs/benchmarks.md (between markers).
*/
import 'reflect-metadata'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Agent, request as httpRequest } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Ignitor } from '@adonisjs/core'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const argv = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`)
  return index >= 0 ? Number(argv[index + 1]) : fallback
}
const CLIENTS = option('clients', 10_000)
const CHANGES = option('changes', 5)
const TIMEOUT_S = option('timeout', 240)
const PORTS = [option('port', 3481), option('port', 3481) + 1]
/** `--hold S`: keep the idle streams open S seconds after measuring them (heap snapshots, inspection). */
const HOLD_S = option('hold', 0)
/** `--settle S`: idle seconds between opening the last stream and measuring memory (default 3). */
const SETTLE_S = option('settle', 3)
/** The instances run the compiled server (`node ace build` first), as in production, unless `--source`. */
const USE_BUILD = !argv.includes('--source')
/** `--no-docs`: print the numbers only (quick runs must not replace the published ones). */
const WRITE_DOCS = !argv.includes('--no-docs')
const ITEMS = 200
const PROPOSALS = 2000
const DB_NAME =
  process.env.PG_DB_NAME && process.env.PG_DB_NAME !== 'test'
    ? process.env.PG_DB_NAME
    : 'fanout_bench'
const HOST = 'fanout.bench.test'

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  DB_CONNECTION: 'pg',
  PG_DB_NAME: DB_NAME,
  LOCK_STORE: 'redis',
  LIMITER_STORE: 'memory',
  SESSION_DRIVER: 'cookie',
  TRANSMIT_TRANSPORT: 'redis',
  // One participant holds every stream; the per-user limit (20) would close them.
  REALTIME_MAX_STREAMS_PER_USER: '1000000',
  HOST: '127.0.0.1',
  // The env schema requires PORT also for ace (migrations, seeding); instances get their own.
  PORT: String(PORTS[0]),
  APP_KEY:
    process.env.APP_KEY ??
    (existsSync(`${ROOT}.env`) ? undefined : randomBytes(32).toString('base64url')),
}
for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
Object.assign(process.env, env)

const log = (line: string) => process.stdout.write(`${line}\n`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

function prepareDatabase() {
  try {
    execFileSync(
      'createdb',
      ['-h', process.env.PG_HOST ?? '127.0.0.1', '-U', process.env.PG_USER ?? 'postgres', DB_NAME],
      {
        stdio: 'ignore',
      }
    )
  } catch {
    // exists already
  }
  execFileSync(process.execPath, ['ace', 'migration:fresh', '--force'], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  })
}

async function bootApp() {
  const ignitor = new Ignitor(new URL('../../', import.meta.url), {
    importer: (filePath: string) =>
      import(
        filePath.startsWith('.')
          ? new URL(filePath, new URL('../../', import.meta.url)).href
          : filePath
      ),
  })
  const app = ignitor.createApp('console')
  app.booting(async () => {
    await import('#start/env')
  })
  await app.init()
  await app.boot()
  return app
}

async function seed() {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { default: CreateOrganisation } = await import('#actions/organisations/create_organisation')
  const { default: CreateUser } = await import('#actions/users/create_user')
  const { default: ChangeMeetingRoles } = await import('#actions/meetings/change_meeting_roles')
  const { default: Meeting } = await import('#models/meeting')
  const { default: User } = await import('#models/user')
  const { systemActor } = await import('#services/audit_log')
  const actor = systemActor('cli')

  const { organisation } = await new CreateOrganisation().execute({
    title: 'Fan-out',
    hosts: [HOST],
    passwordLogin: true,
    actor,
  })
  const user = async (name: string) =>
    (
      await new CreateUser().execute({
        organisation,
        email: `${name}@fanout.bench.test`,
        firstName: name,
        lastName: 'Bench',
        password: 'correct horse battery staple',
        actor,
      })
    ).user
  const moderator = await user('moderator')
  const participant = await user('participant')
  const meeting = await Meeting.create({
    organisationId: organisation.id,
    title: 'Fan-out meeting',
    body: '',
    state: 'ongoing',
    public: false,
    visibleInLists: false,
    groupVotesActive: false,
    groupRolesActive: false,
    rev: 1,
  } as never)
  await new ChangeMeetingRoles().execute({
    meeting,
    userIds: [moderator.id],
    roles: ['mo'],
    mode: 'add',
    actor,
  })
  await new ChangeMeetingRoles().execute({
    meeting,
    userIds: [participant.id],
    roles: ['pa'],
    mode: 'add',
    actor,
  })

  const now = new Date()
  const items = Array.from({ length: ITEMS }, (_, index) => ({
    organisation_id: organisation.id,
    meeting_id: meeting.id,
    title: `Item ${index + 1}`,
    body: '',
    state: index % 10 === 9 ? 'private' : 'upcoming',
    order: index + 1,
    block_discussion: false,
    block_proposals: false,
    tags: JSON.stringify([]),
    rev: 1,
    created_at: now,
    updated_at: now,
  }))
  const itemIds = (await db.table('agenda_items').multiInsert(items).returning('id')).map(
    (row: any) => Number(row.id ?? row)
  )
  for (let start = 0; start < PROPOSALS; start += 500) {
    await db.table('proposals').multiInsert(
      Array.from({ length: Math.min(500, PROPOSALS - start) }, (_, offset) => {
        const index = start + offset
        return {
          organisation_id: organisation.id,
          meeting_id: meeting.id,
          agenda_item_id: itemIds[index % ITEMS],
          shortname: 'proposal',
          prop_id: `p-${index + 1}`,
          body: `<p>Proposal ${index + 1}: ${'lorem ipsum dolor sit amet '.repeat(6)}</p>`,
          title: '',
          state: 'published',
          tags: JSON.stringify([`p-${index + 1}`]),
          mentions: JSON.stringify([]),
          author_id: participant.id,
          as_group: false,
          rev: 1,
          created_at: now,
          updated_at: now,
        }
      })
    )
  }
  const token = async (who: typeof moderator) =>
    (await User.accessTokens.create(who, ['*'])).value!.release()
  const changedItem = itemIds[0]
  return {
    meetingId: meeting.id,
    changedItem,
    moderatorToken: await token(moderator),
    participantToken: await token(participant),
    moderatorId: moderator.id,
  }
}

interface MemoryReport {
  /** After a memory-reducing GC (start/transmit.ts, SIGUSR2). */
  rss: number
  /** After an ordinary full GC: V8's pool of freed pages is still resident. */
  rssPlainGc: number
  heapUsed: number
  heapTotal: number
  external: number
  streams: number
}

class Instance {
  output = ''
  constructor(
    readonly port: number,
    readonly child: ChildProcess
  ) {
    child.stdout!.on('data', (chunk) => (this.output += chunk))
    child.stderr!.on('data', (chunk) => (this.output += chunk))
  }

  static async start(port: number) {
    // BENCH_NODE_ARGS (e.g. "--heapsnapshot-signal=SIGUSR1") is passed to the instances.
    const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
    const entry = USE_BUILD ? ['bin/server.js'] : ['--import=@poppinss/ts-exec', 'bin/server.ts']
    const child = spawn(process.execPath, [...extra, '--expose-gc', ...entry], {
      cwd: USE_BUILD ? `${ROOT}build` : ROOT,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const instance = new Instance(port, child)
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`instance ${port} exited:\n${instance.output}`)
      const answer = await call(port, 'GET', '/api/realtime/versions').catch(() => null)
      if (answer?.status === 200) return instance
      await sleep(250)
    }
    throw new Error(`instance ${port} did not start:\n${instance.output}`)
  }

  /** Memory after a full GC (MB), reported by the instance on SIGUSR2 (start/transmit.ts). */
  async memoryAfterGc(): Promise<MemoryReport> {
    const before = this.output.length
    this.child.kill('SIGUSR2')
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      const line = this.output
        .slice(before)
        .split('\n')
        .find((entry) => entry.includes('realtime_memory'))
      if (line) {
        const parsed = JSON.parse(line)
        const mb = (value: number) => value / 1024 / 1024
        const usage = parsed.reduced ?? parsed.realtime_memory
        return {
          rss: mb(usage.rss),
          rssPlainGc: mb(parsed.realtime_memory.rss),
          heapUsed: mb(usage.heapUsed),
          heapTotal: mb(usage.heapTotal),
          // `external` includes `arrayBuffers` (Buffers): counted once.
          external: mb(usage.external),
          streams: parsed.streams,
        }
      }
      await sleep(50)
    }
    throw new Error(`no memory report from ${this.port}`)
  }

  rssMb() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
  }

  /** SIGTERM (graceful: streams get system.closing 1001), SIGKILL if still running 5 s later. */
  async stopAndWait() {
    this.stop()
    const deadline = Date.now() + 6000
    while (
      this.child.exitCode === null &&
      this.child.signalCode === null &&
      Date.now() < deadline
    ) {
      await sleep(100)
    }
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }

  stop() {
    if (this.child.exitCode !== null) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.exitCode === null && this.child.kill('SIGKILL'), 5000)
    timer.unref()
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 24 })

function call(port: number, method: string, path: string, token?: string, body?: unknown) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: {
          host: HOST,
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null })
        )
      }
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** One SSE client: keeps the seq and receive time of every agenda_item.changed by title. */
class Listener {
  readonly uid = randomUUID()
  #request: ReturnType<typeof httpRequest> | null = null
  readonly received = new Map<string, { at: number; seq: number; fanout: number }>()
  seqs: number[] = []
  #buffer = ''

  open(port: number, ticket: string) {
    return new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: `/__transmit/events?uid=${this.uid}&ticket=${ticket}`,
          agent: false,
          headers: { host: HOST, accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`stream status ${res.statusCode}`))
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => this.#feed(chunk))
          resolve()
        }
      )
      req.on('error', reject)
      req.end()
      this.#request = req
    })
  }

  close() {
    this.#request?.destroy()
  }

  #feed(chunk: string) {
    this.#buffer += chunk
    let index: number
    while ((index = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, index)
      this.#buffer = this.#buffer.slice(index + 2)
      if (!block.includes('agenda_item.changed')) continue
      const at = performance.now()
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n')
      const { payload } = JSON.parse(data)
      // Publication (after commit) to parse, on the same clock: the fan-out part of the latency.
      const fanout = Date.now() - Date.parse(payload.ts)
      this.received.set(payload.data.title, { at, seq: payload.seq, fanout })
      this.seqs.push(payload.seq)
    }
  }
}

async function main() {
  const started = Date.now()
  const deadline = started + TIMEOUT_S * 1000
  const loadAtStart = loadavg()[0]
  log(`preparing ${DB_NAME} and seeding (${ITEMS} agenda items, ${PROPOSALS} proposals)…`)
  prepareDatabase()
  const app = await bootApp()
  const seeded = await seed()
  await app.terminate()

  if (USE_BUILD) {
    log('building (node ace build)…')
    execFileSync(process.execPath, ['ace', 'build'], { cwd: ROOT, stdio: 'ignore' })
    // The build has no node_modules of its own: use the project's.
    if (!existsSync(`${ROOT}build/node_modules`))
      symlinkSync('../node_modules', `${ROOT}build/node_modules`)
  }
  log(`starting two instances (${USE_BUILD ? 'build/bin/server.js' : 'bin/server.ts, ts-exec'})…`)
  const instances = await Promise.all(PORTS.map((port) => Instance.start(port)))
  running.push(...instances)
  const channel = `meetings/${seeded.meetingId}/participants`
  await sleep(1000)
  const rssBefore = instances.map((instance) => instance.rssMb())

  // Open streams in waves until N or the time budget for opening (60 % of the timeout) is spent.
  log(`opening up to ${CLIENTS} streams…`)
  const listeners: Listener[] = []
  const openDeadline = started + TIMEOUT_S * 600
  let failures = 0
  const failureReasons = new Map<string, number>()
  const openOne = async (index: number) => {
    const port = PORTS[index % 2]
    const listener = new Listener()
    const ticket = await call(port, 'POST', '/api/realtime/tickets', seeded.participantToken)
    if (ticket.status !== 200) {
      throw new Error(`ticket ${ticket.status} ${JSON.stringify(ticket.body?.errors?.[0]?.code)}`)
    }
    await listener.open(port, ticket.body.ticket)
    const subscribed = await call(port, 'POST', '/__transmit/subscribe', seeded.participantToken, {
      uid: listener.uid,
      channel,
    })
    if (subscribed.status !== 204) throw new Error(`subscribe ${subscribed.status}`)
    listeners.push(listener)
  }
  let baseline: { reports: MemoryReport[]; streams: number } | null = null
  const openStarted = performance.now()
  for (let index = 0; index < CLIENTS && Date.now() < openDeadline; index += 200) {
    const wave = []
    for (let offset = index; offset < Math.min(CLIENTS, index + 200); offset++) {
      wave.push(
        openOne(offset).catch((error: Error) => {
          failures++
          failureReasons.set(error.message, (failureReasons.get(error.message) ?? 0) + 1)
        })
      )
    }
    await Promise.all(wave)
    if (baseline === null && listeners.length >= Math.max(200, CLIENTS / 10)) {
      // Baseline after a warm-up share of streams: code loading and JIT are not per-connection memory.
      await sleep(1000)
      const reports = await Promise.all(instances.map((instance) => instance.memoryAfterGc()))
      baseline = { reports, streams: listeners.length }
    }
    if ((index / 200) % 10 === 0) log(`  ${listeners.length} open`)
  }
  const openSeconds = (performance.now() - openStarted) / 1000
  log(`${listeners.length} streams open in ${openSeconds.toFixed(1)} s (${failures} failed)`)
  if (failures > 0) log(`  failures: ${JSON.stringify(Object.fromEntries(failureReasons))}`)
  await sleep(SETTLE_S * 1000)
  const idleReports = await Promise.all(instances.map((instance) => instance.memoryAfterGc()))
  const startReports: MemoryReport[] = rssBefore.map((rss) => ({
    rss,
    rssPlainGc: rss,
    heapUsed: 0,
    heapTotal: 0,
    external: 0,
    streams: 0,
  }))
  const base = baseline ?? { reports: startReports, streams: 0 }
  const added = Math.max(1, listeners.length - base.streams)
  // Growth of both instances together, in KB per stream added.
  const perStream = (pick: (report: MemoryReport) => number) =>
    ((idleReports.reduce((sum, report) => sum + pick(report), 0) -
      base.reports.reduce((sum, report) => sum + pick(report), 0)) *
      1024) /
    added
  const memory = {
    rss: perStream((report) => report.rss),
    rssPlainGc: perStream((report) => report.rssPlainGc),
    heapUsed: perStream((report) => report.heapUsed),
    heapTotal: perStream((report) => report.heapTotal),
    external: perStream((report) => report.external),
  }
  log(`idle: ${JSON.stringify({ base, idleReports, memory })}`)
  if (HOLD_S > 0) {
    log(`holding ${HOLD_S} s; instance pids ${instances.map((i) => i.child.pid).join(' ')}`)
    await sleep(HOLD_S * 1000)
  }

  // K changes, alternating instances; each must reach every stream.
  const latencies: number[] = []
  const fanouts: number[] = []
  const sentAt = new Map<string, number>()
  for (let change = 1; change <= CHANGES && Date.now() < deadline; change++) {
    const title = `Change ${change} ${randomUUID().slice(0, 6)}`
    sentAt.set(title, performance.now())
    const response = await call(
      PORTS[change % 2],
      'PATCH',
      `/api/agenda-items/${seeded.changedItem}`,
      seeded.moderatorToken,
      { title }
    )
    if (response.status !== 200)
      throw new Error(`PATCH ${response.status} ${JSON.stringify(response.body)}`)
    const waitUntil = Date.now() + 15_000
    while (listeners.some((listener) => !listener.received.has(title)) && Date.now() < waitUntil)
      await sleep(20)
    await sleep(1000)
  }
  let lost = 0
  let gaps = 0
  for (const listener of listeners) {
    for (const [title, sent] of sentAt) {
      const got = listener.received.get(title)
      if (!got) lost++
      else {
        latencies.push(got.at - sent)
        fanouts.push(got.fanout)
      }
    }
    for (let index = 1; index < listener.seqs.length; index++)
      if (listener.seqs[index] !== listener.seqs[index - 1] + 1) gaps++
  }

  // Initial state: subscribe + snapshot on a fresh stream, cold (a change before each sample) and warm.
  const initial = async (which: 'participants' | 'moderators', cold: boolean, samples: number) => {
    const token = which === 'moderators' ? seeded.moderatorToken : seeded.participantToken
    const target = `meetings/${seeded.meetingId}/${which}`
    const times: number[] = []
    let bytes = 0
    for (let sample = 0; sample < samples; sample++) {
      const port = PORTS[sample % 2]
      if (cold) {
        await call(
          port,
          'PATCH',
          `/api/agenda-items/${seeded.changedItem}`,
          seeded.moderatorToken,
          { title: `Cold ${sample}` }
        )
      }
      const listener = new Listener()
      const ticket = await call(port, 'POST', '/api/realtime/tickets', token)
      await listener.open(port, ticket.body.ticket)
      const begin = performance.now()
      await call(port, 'POST', '/__transmit/subscribe', token, {
        uid: listener.uid,
        channel: target,
      })
      const snapshot = await call(
        port,
        'GET',
        `/api/realtime/snapshot?channel=${encodeURIComponent(target)}`,
        token
      )
      times.push(performance.now() - begin)
      bytes = JSON.stringify(snapshot.body).length
      const counts = snapshot.body.sections.map(
        (section: any) => section.messages[0]?.items?.length ?? 0
      )
      if (sample === 0)
        log(
          `  ${which} snapshot sections: ${snapshot.body.sections.map((s: any, i: number) => `${s.name}=${counts[i]}`).join(', ')}`
        )
    }
    return { p50: percentile(times, 50), p95: percentile(times, 95), bytes }
  }
  log('measuring initial state…')
  const participantsCold = await initial('participants', true, 20)
  const participantsWarm = await initial('participants', false, 40)
  const moderatorsCold = await initial('moderators', true, 20)

  const result = {
    listeners: listeners.length,
    requested: CLIENTS,
    failures,
    openSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    fanoutP50: percentile(fanouts, 50),
    fanoutP99: percentile(fanouts, 99),
    lost,
    gaps,
    changes: sentAt.size,
    memory,
    rssBefore,
    baseline: base,
    idleReports,
    participantsCold,
    participantsWarm,
    moderatorsCold,
  }
  log(JSON.stringify(result, null, 2))
  for (const listener of listeners) listener.close()
  await Promise.all(instances.map((instance) => instance.stopAndWait()))
  if (WRITE_DOCS) writeSection(result, loadAtStart)
  process.exit(0)
}

function writeSection(r: any, loadAtStart: number) {
  const file = `${ROOT}docs/benchmarks.md`
  const begin = '<!-- bench:fanout begin -->'
  const end = '<!-- bench:fanout end -->'
  const ms = (value: number) => `${value.toFixed(1)} ms`
  const section = [
    begin,
    '## Realtime fan-out (`npm run bench:fanout`)',
    '',
    `Generated by bin/bench/fanout.ts: two app instances (${USE_BUILD ? 'compiled build/bin/server.js' : 'bin/server.ts through the ts-exec loader'}, PostgreSQL, Redis transport with the`,
    'shared seq/replay store) on loopback; SSE clients in one Node process, split over both instances, all',
    `subscribed to a meeting's participants channel. A moderator changes an agenda item ${r.changes} times`,
    '(alternating instances); latency is from sending the PATCH to the frame being parsed by each client.',
    '',
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown'} (clients, both instances, PostgreSQL and Redis share it)`,
    `- Node: ${process.version}`,
    `- Load average (1 min) at start: ${loadAtStart.toFixed(2)}`,
    '',
    '| measure | value | target |',
    '|---|---:|---|',
    `| streams open (requested) | ${r.listeners.toLocaleString('en')} (${r.requested.toLocaleString('en')}) | 10,000 |`,
    `| time to open and subscribe them | ${r.openSeconds.toFixed(1)} s | — |`,
    `| delivery latency p50 | ${ms(r.p50)} | — |`,
    `| delivery latency p99 | ${ms(r.p99)} | < 1 s |`,
    `| delivery latency max | ${ms(r.max)} | — |`,
    `| of which fan-out (envelope ts → parsed) p50 / p99 | ${ms(r.fanoutP50)} / ${ms(r.fanoutP99)} | — |`,
    `| messages lost (of ${(r.listeners * r.changes).toLocaleString('en')}) | ${r.lost} | 0 |`,
    `| seq gaps seen by clients | ${r.gaps} | 0 |`,
    `| server RSS per idle connection (after a memory-reducing GC) | ${r.memory.rss.toFixed(1)} KB | < 20 KB |`,
    `| server RSS per idle connection (after an ordinary full GC) | ${r.memory.rssPlainGc.toFixed(1)} KB | — |`,
    `| … JS heap used / V8 heap committed | ${r.memory.heapUsed.toFixed(1)} KB / ${r.memory.heapTotal.toFixed(1)} KB | — |`,
    `| … external (Buffers, native objects V8 knows of) | ${r.memory.external.toFixed(1)} KB | — |`,
    `| initial state, participants (cold) p50 / p95 | ${ms(r.participantsCold.p50)} / ${ms(r.participantsCold.p95)} | p95 < 100 ms |`,
    `| initial state, participants (warm) p50 / p95 | ${ms(r.participantsWarm.p50)} / ${ms(r.participantsWarm.p95)} | — |`,
    `| initial state, moderators (cold) p50 / p95 | ${ms(r.moderatorsCold.p50)} / ${ms(r.moderatorsCold.p95)} | p95 < 100 ms |`,
    '',
    `Initial state = subscribe + \`GET /api/realtime/snapshot\` on a fresh stream for a meeting with ${ITEMS} agenda`,
    `items (every tenth private) and ${PROPOSALS.toLocaleString('en')} proposals; "cold" samples follow a change, so the`,
    `shared-section cache (per channel, epoch and seq) cannot answer them. Participants' snapshot is about`,
    `${Math.round(r.participantsCold.bytes / 1024)} KB of JSON.`,
    '',
    "RSS per connection is the growth of both instances' resident memory from",
    `${r.baseline.streams.toLocaleString('en')} open streams (${r.baseline.reports.map((m: MemoryReport) => m.rss.toFixed(0)).join(' + ')} MB, after warm-up) to all of them`,
    `(${r.idleReports.map((m: MemoryReport) => m.rss.toFixed(0)).join(' + ')} MB), divided by the streams added; instances run with --expose-gc and`,
    'report on SIGUSR2 after an ordinary full GC and then after a memory-reducing one. Only the latter',
    "returns V8's pool of freed heap pages to the OS: after the ordinary GC the RSS still holds the",
    'high-water mark of the heap while the streams were being opened (tickets, subscribe requests),',
    'which is not memory the idle streams keep (docs/realtime.md, "Memory per stream"). The heap and',
    'external rows are the same growth as V8 reports it (after the memory-reducing GC).',
    end,
  ].join('\n')
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  if (text.includes(begin) && text.includes(end)) {
    text = text.slice(0, text.indexOf(begin)) + section + text.slice(text.indexOf(end) + end.length)
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`
  }
  writeFileSync(file, text)
  log('wrote the fan-out section of docs/benchmarks.md')
}

const running: Instance[] = []

main().catch(async (error) => {
  console.error(error)
  await Promise.all(running.map((instance) => instance.stopAndWait()))
  process.exit(1)
})
