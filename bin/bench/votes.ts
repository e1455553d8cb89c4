/*
| Vote benchmark (npm run bench:votes [-- --voters N --clients C --timeout S]).
|
| Options: --voters N (10,000), --clients C (64), --timeout S (120), --port P (3491).
| The server is the compiled one, as in production: `node ace build` runs first (--skip-build reuses
| build/; --source runs the TypeScript sources through the ts-exec loader instead, slower).
|
| 1. Migrates a fresh PostgreSQL database (PG_DB_NAME, default `polls_bench`; created when missing).
| 2. Seeds one organisation, an ongoing meeting and agenda item, 5 proposals, a moderator and N voters
|    (bulk SQL for the voters, their `pv` roles and bearer tokens: seeding is not what is measured).
| 3. Starts the app (bin/server.ts) as a separate process on loopback, creates and starts one
|    Scottish STV poll over HTTP (the register of N voters is computed then), and casts every vote
|    over HTTP from C concurrent keep-alive clients, bounded by --timeout seconds.
| 4. Closes the poll over HTTP and checks: stored votes = acknowledged votes, no duplicate voter,
|    every acknowledged receipt in the published ballots, and the result equals an independent count
|    of the ballots the benchmark itself sent; the signed bundle verifies.
| 5. Prints the numbers and writes its own section of docs/benchmarks.md (between markers; the
|    rest of the file is left as it is).
*/
import 'reflect-metadata'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Agent, request as httpRequest } from 'node:http'
import { Ignitor } from '@adonisjs/core'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const argv = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`)
  return index >= 0 ? Number(argv[index + 1]) : fallback
}
const VOTERS = option('voters', 10_000)
const CLIENTS = option('clients', 64)
const TIMEOUT_S = option('timeout', 120)
const PORT = option('port', 3491)
const DB_NAME =
  process.env.PG_DB_NAME && process.env.PG_DB_NAME !== 'test'
    ? process.env.PG_DB_NAME
    : 'polls_bench'

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  DB_CONNECTION: 'pg',
  PG_DB_NAME: DB_NAME,
  LOCK_STORE: 'database',
  LIMITER_STORE: 'memory',
  SESSION_DRIVER: 'cookie',
  TRANSMIT_TRANSPORT: 'none',
  PORT: String(PORT),
  HOST: '127.0.0.1',
  APP_KEY: process.env.APP_KEY ?? appKeyFromDotEnv() ?? randomBytes(32).toString('base64url'),
}
for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
Object.assign(process.env, env)

/** The APP_KEY of ./.env (the built server runs from build/ and would not read it). */
function appKeyFromDotEnv(): string | undefined {
  if (!existsSync(`${ROOT}.env`)) return undefined
  return /^APP_KEY=(.*)$/m.exec(readFileSync(`${ROOT}.env`, 'utf8'))?.[1]?.trim()
}

/** The compiled server (node ace build), unless `--source` asks for the TypeScript sources. */
const USE_BUILD = !argv.includes('--source')

const log = (line: string) => process.stdout.write(`${line}\n`)

function prepareDatabase() {
  try {
    execFileSync(
      'createdb',
      ['-h', process.env.PG_HOST ?? '127.0.0.1', '-U', process.env.PG_USER ?? 'postgres', DB_NAME],
      { stdio: 'ignore' }
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

/** Boots the app in this process for seeding (models, actions, db). */
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
  const { default: CreateMeeting } = await import('#actions/meetings/create_meeting')
  const { default: TransitionMeeting } = await import('#actions/meetings/transition_meeting')
  const { default: ChangeMeetingRoles } = await import('#actions/meetings/change_meeting_roles')
  const { default: AgendaItem } = await import('#models/agenda_item')
  const { default: Proposal } = await import('#models/proposal')
  const { systemActor } = await import('#services/audit_log')
  const { AccessToken } = await import('@adonisjs/auth/access_tokens')
  const actor = systemActor('cli')
  const host = 'bench.test'

  const { organisation } = await new CreateOrganisation().execute({
    title: 'Bench',
    hosts: [host],
    passwordLogin: true,
    actor,
  })
  const { user: moderator } = await new CreateUser().execute({
    organisation,
    email: 'moderator@bench.test',
    firstName: 'Mod',
    lastName: 'Erator',
    password: 'correct horse battery staple',
    actor,
  })
  let meeting = await new CreateMeeting().execute({
    organisation,
    title: 'Bench meeting',
    creator: moderator,
    erPolicyName: 'auto_before_poll',
    actor,
  })
  meeting = await new TransitionMeeting().execute({
    meeting,
    event: 'make_ongoing',
    user: null,
    actor,
    force: true,
  })
  const item = await AgendaItem.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    title: 'Election',
    body: '',
    state: 'ongoing',
    order: 1,
    blockDiscussion: false,
    blockProposals: false,
    tags: [],
    rev: 1,
  } as never)
  const proposals = []
  for (let i = 1; i <= 5; i++) {
    proposals.push(
      await Proposal.create({
        organisationId: organisation.id,
        meetingId: meeting.id,
        agendaItemId: item.id,
        shortname: 'proposal',
        propId: `candidate-${i}`,
        body: `<p>Candidate ${i}</p>`,
        title: `Candidate ${i}`,
        state: 'published',
        tags: [],
        mentions: [],
        authorId: null,
        meetingGroupId: null,
        asGroup: false,
        paragraphId: null,
        bodyDiffBrief: null,
        rev: 1,
      })
    )
  }

  // Voters: bulk rows (no password hashing), pv role, one bearer token each.
  const now = new Date()
  const userIds: number[] = []
  for (let start = 0; start < VOTERS; start += 1000) {
    const rows = []
    for (let i = start; i < Math.min(VOTERS, start + 1000); i++) {
      rows.push({
        organisation_id: organisation.id,
        first_name: 'Voter',
        last_name: String(i),
        email: `voter${i}@bench.test`,
        userid: `voter-${i}`,
        created_at: now,
        updated_at: now,
      })
    }
    const inserted = await db.table('users').multiInsert(rows).returning('id')
    userIds.push(...inserted.map((row: any) => Number(row.id ?? row)))
  }
  for (let start = 0; start < userIds.length; start += 1000) {
    await db.table('meeting_roles').multiInsert(
      userIds.slice(start, start + 1000).map((userId) => ({
        organisation_id: organisation.id,
        meeting_id: meeting.id,
        user_id: userId,
        assigned: JSON.stringify(['pa', 'pv']),
        created_at: now,
        updated_at: now,
      }))
    )
  }
  const tokens: string[] = []
  for (let start = 0; start < userIds.length; start += 1000) {
    const batch = userIds.slice(start, start + 1000).map((userId) => ({
      userId,
      transient: AccessToken.createTransientToken(userId, 40, '1 day'),
    }))
    const inserted = await db
      .table('auth_access_tokens')
      .multiInsert(
        batch.map(({ userId, transient }) => ({
          tokenable_id: userId,
          type: 'auth_token',
          name: 'bench',
          hash: transient.hash,
          abilities: JSON.stringify(['*']),
          created_at: now,
          updated_at: now,
          expires_at: transient.expiresAt ?? null,
        }))
      )
      .returning('id')
    batch.forEach(({ userId, transient }, index) => {
      const token = new AccessToken({
        identifier: Number((inserted[index] as any).id ?? inserted[index]),
        tokenableId: userId,
        type: 'auth_token',
        prefix: 'vit_',
        secret: transient.secret,
        name: 'bench',
        hash: transient.hash,
        abilities: ['*'],
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
        expiresAt: transient.expiresAt ?? null,
      })
      tokens.push(token.value!.release())
    })
  }
  // The moderator: a promoted role and a token made the same way.
  await new ChangeMeetingRoles().execute({
    meeting,
    userIds: [moderator.id],
    roles: ['mo'],
    mode: 'add',
    actor,
  })
  const transient = AccessToken.createTransientToken(moderator.id, 40, '1 day')
  const [row] = await db
    .table('auth_access_tokens')
    .insert({
      tokenable_id: moderator.id,
      type: 'auth_token',
      name: 'bench',
      hash: transient.hash,
      abilities: JSON.stringify(['*']),
      created_at: now,
      updated_at: now,
      expires_at: transient.expiresAt ?? null,
    })
    .returning('id')
  const moderatorToken = new AccessToken({
    identifier: Number((row as any).id ?? row),
    tokenableId: moderator.id,
    type: 'auth_token',
    prefix: 'vit_',
    secret: transient.secret,
    name: 'bench',
    hash: transient.hash,
    abilities: ['*'],
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
    expiresAt: transient.expiresAt ?? null,
  }).value!.release()
  return {
    host,
    organisationId: organisation.id,
    itemId: item.id,
    proposals: proposals.map((p) => p.id),
    tokens,
    moderatorToken,
  }
}

async function startServer(): Promise<ChildProcess> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=tmp/prof") is passed to the server process.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  // The TypeScript sources run through the ts-exec loader; its hooks answer every dynamic import()
  // (lazy controllers and middleware, per request) on a worker thread; the build avoids that.
  if (USE_BUILD && !argv.includes('--skip-build')) {
    execFileSync(process.execPath, ['ace', 'build'], { cwd: ROOT, stdio: 'ignore' })
  }
  if (USE_BUILD && !existsSync(`${ROOT}build/bin/server.js`))
    throw new Error('no build/bin/server.js: run `node ace build` (or drop --skip-build)')
  // The build has no node_modules of its own: use the project's (instead of `npm ci` in build/).
  if (USE_BUILD && !existsSync(`${ROOT}build/node_modules`)) {
    symlinkSync('../node_modules', `${ROOT}build/node_modules`)
  }
  const entry = USE_BUILD ? ['bin/server.js'] : ['--import=@poppinss/ts-exec', 'bin/server.ts']
  const child = spawn(process.execPath, [...extra, ...entry], {
    cwd: USE_BUILD ? `${ROOT}build` : ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  child.stdout!.on('data', (chunk) => (stderr += chunk))
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    try {
      await get(`/api/organisation`)
      return child
    } catch {
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  throw new Error(`server did not start: ${stderr}`)
}

/** One HTTP exchange on loopback (node:http: the Host header selects the organisation). */
function exchange(
  agent: Agent | undefined,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string
) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: PORT, method, path, agent, headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
        )
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    if (body !== undefined) req.end(body)
    else req.end()
  })
}

function get(path: string) {
  return exchange(undefined, 'GET', path, { host: 'bench.test' })
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Deterministic PRNG for the ballots the benchmark casts. */
function mulberry32(initial: number) {
  let a = initial >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function main() {
  log(
    `bench:votes — ${VOTERS} voters, ${CLIENTS} concurrent clients, PostgreSQL database ${DB_NAME}`
  )
  const load = loadavg()[0]
  prepareDatabase()
  const app = await bootApp()
  const seedStarted = performance.now()
  const world = await seed()
  log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`)
  const server = await startServer()
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS })
  const call = async (method: 'GET' | 'POST', path: string, token: string, body?: unknown) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers: Record<string, string> = {
      host: world.host,
      authorization: `Bearer ${token}`,
      accept: 'application/json',
    }
    if (payload !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = String(Buffer.byteLength(payload))
    }
    const response = await exchange(agent, method, path, headers, payload)
    return { status: response.status, body: response.text ? JSON.parse(response.text) : null }
  }
  try {
    const startedPoll = performance.now()
    const created = await call('POST', '/api/polls', world.moderatorToken, {
      agenda_item: world.itemId,
      title: 'Board election',
      method_name: 'scottish_stv',
      settings: { winners: 2 },
      proposals: world.proposals,
      start: true,
    })
    if (created.status !== 201) throw new Error(`poll not created: ${JSON.stringify(created.body)}`)
    const pollId = created.body.id
    log(
      `poll ${pollId} started with a register of ${created.body.total} voters in ${(performance.now() - startedPoll).toFixed(0)} ms`
    )

    // The ballots: truncated random rankings, fixed seed.
    const random = mulberry32(42)
    const ballots = world.tokens.map(() => {
      const ids = [...world.proposals]
      for (let i = ids.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[ids[i], ids[j]] = [ids[j], ids[i]]
      }
      return ids.slice(0, 1 + Math.floor(random() * ids.length))
    })

    // Baseline on the same machine and connections: an authenticated read (GET /api/user) per voter token.
    let probeNext = 0
    const probeCount = Math.min(2000, world.tokens.length)
    const probeStarted = performance.now()
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (probeNext < probeCount) {
          const index = probeNext++
          await call('GET', '/api/user', world.tokens[index])
        }
      })
    )
    const baseline = probeCount / ((performance.now() - probeStarted) / 1000)
    log(`baseline: ${Math.round(baseline)} authenticated GET /api/user per second`)

    const latencies: number[] = []
    const acknowledged = new Map<number, string>()
    const failures = new Map<string, number>()
    let next = 0
    const deadline = Date.now() + TIMEOUT_S * 1000
    const castStarted = performance.now()
    const serverCpuBefore = processCpuSeconds(server.pid!)
    const clientCpuBefore = process.cpuUsage()
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < world.tokens.length && Date.now() < deadline) {
          const index = next++
          const started = performance.now()
          try {
            const response = await call('POST', '/api/votes', world.tokens[index], {
              poll: pollId,
              vote: { ranking: ballots[index] },
            })
            latencies.push(performance.now() - started)
            if (response.status === 201) acknowledged.set(index, response.body.receipt)
            else
              failures.set(
                String(response.status),
                (failures.get(String(response.status)) ?? 0) + 1
              )
          } catch (error) {
            failures.set(
              (error as Error).message,
              (failures.get((error as Error).message) ?? 0) + 1
            )
          }
        }
      })
    )
    const castSeconds = (performance.now() - castStarted) / 1000
    const serverCpu = processCpuSeconds(server.pid!) - serverCpuBefore
    const clientUsage = process.cpuUsage(clientCpuBefore)
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6
    latencies.sort((a, b) => a - b)

    // Checks against the database (through the booted app's own connection).
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const stored = Number(
      (await db.from('votes').where('poll_id', pollId).count('* as n').first())!.n
    )
    const duplicates = Number(
      (
        await db.rawQuery(
          'select count(*) as n from (select voter_ref from votes where poll_id = ? group by voter_ref having count(*) > 1) d',
          [pollId]
        )
      ).rows[0].n
    )
    const participations = Number(
      (await db.from('poll_participations').where('poll_id', pollId).count('* as n').first())!.n
    )

    const closeStarted = performance.now()
    const closed = await call('POST', `/api/polls/${pollId}/event`, world.moderatorToken, {
      event: 'close',
    })
    const closeMs = performance.now() - closeStarted
    if (closed.status !== 200) throw new Error(`close failed: ${JSON.stringify(closed.body)}`)
    const result = closed.body.object.result

    // Independent recount: the benchmark's own record of acknowledged ballots, counted by the library.
    const { count } = await import('#domain/polls/counting/index')
    const independent = count({
      method: 'scottish_stv',
      settings: { winners: 2, allow_random: true },
      candidates: world.proposals,
      ballots: [...acknowledged.keys()].map((index) => ({ ranking: ballots[index], count: 1 })),
      seed: closed.body.object.result.seed,
    })
    const sameResult =
      JSON.stringify(independent.approved) === JSON.stringify(result.approved) &&
      independent.vote_count === result.vote_count

    const ballotsResponse = await call('GET', `/api/polls/${pollId}/ballots`, world.tokens[0])
    const published = new Set(
      // A secret poll defaults to receipt mode `inclusion`: the hashes are listed apart from the ballots.
      (ballotsResponse.body.receipt_hashes as string[] | undefined) ??
        (ballotsResponse.body.data as Array<{ receipt_hash: string }>).map(
          (row) => row.receipt_hash
        )
    )
    const missingReceipts = [...acknowledged.values()].filter(
      (code) => !published.has(createHash('sha256').update(code).digest('hex'))
    ).length
    const bundle = await call('GET', `/api/polls/${pollId}/bundle`, world.tokens[0])
    const { verifyBundle } = await import('#domain/polls/bundle')
    const verified = verifyBundle(bundle.body)

    const lost = acknowledged.size - (closed.body.object.result.vote_count as number)
    const summary = {
      voters: VOTERS,
      clients: CLIENTS,
      acknowledged: acknowledged.size,
      failures: Object.fromEntries(failures),
      castSeconds,
      throughput: acknowledged.size / castSeconds,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      stored,
      participations,
      duplicates,
      lost,
      missingReceipts,
      closeMs,
      serverCpuMsPerVote: (serverCpu * 1000) / Math.max(1, acknowledged.size),
      clientCpuMsPerVote: (clientCpu * 1000) / Math.max(1, acknowledged.size),
      sameResult,
      bundleProblems: verified.problems,
      approved: result.approved,
      baseline,
    }
    log(JSON.stringify(summary, null, 2))
    const pass =
      acknowledged.size === VOTERS &&
      stored === acknowledged.size &&
      participations === acknowledged.size &&
      duplicates === 0 &&
      lost === 0 &&
      missingReceipts === 0 &&
      sameResult &&
      verified.problems.length === 0
    const meetsTarget = pass && castSeconds < 10 && summary.p99 < 250
    writeSection(summary, load, pass, meetsTarget)
    log(
      pass
        ? meetsTarget
          ? 'PASS (target met)'
          : 'PASS (correct; target not met, see docs/benchmarks.md)'
        : 'FAIL'
    )
    process.exitCode = pass ? 0 : 1
  } finally {
    agent.destroy()
    server.kill('SIGTERM')
    await app.terminate()
  }
}

function writeSection(s: Record<string, any>, load: number, pass: boolean, meetsTarget: boolean) {
  const file = `${ROOT}docs/benchmarks.md`
  const begin = '<!-- bench:votes begin -->'
  const end = '<!-- bench:votes end -->'
  const ms = (value: number) => value.toFixed(1)
  const section = [
    begin,
    '## Votes over HTTP (`npm run bench:votes`)',
    '',
    `Generated by bin/bench/votes.ts: one app instance (${USE_BUILD ? 'compiled build/bin/server.js' : 'bin/server.ts through the ts-exec loader'}, PostgreSQL, database lock store) on loopback;`,
    `${s.voters.toLocaleString('en')} voters with bearer tokens cast one Scottish STV ballot each (5 candidates, 2 seats) from`,
    `${s.clients} concurrent keep-alive clients; then the poll is closed over HTTP. Seeding is not timed.`,
    '',
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown'}; load average (1 min) at start: ${load.toFixed(2)} (shared machine)`,
    `- Node: ${process.version}`,
    '',
    '| measure | value | target |',
    '|---|---:|---|',
    `| votes acknowledged (201) | ${s.acknowledged.toLocaleString('en')} / ${s.voters.toLocaleString('en')} | all |`,
    `| time to cast all votes | ${s.castSeconds.toFixed(2)} s | < 10 s |`,
    `| throughput | ${Math.round(s.throughput).toLocaleString('en')} votes/s | |`,
    `| baseline: authenticated \`GET /api/user\` | ${Math.round(s.baseline).toLocaleString('en')} requests/s | (context) |`,
    `| server CPU per vote (user + system, whole process) | ${s.serverCpuMsPerVote.toFixed(2)} ms | (context) |`,
    `| benchmark client CPU per vote (same machine) | ${s.clientCpuMsPerVote.toFixed(2)} ms | (context) |`,
    `| latency p50 / p95 / p99 | ${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} ms | p99 < 250 ms |`,
    `| stored votes = acknowledged | ${s.stored} = ${s.acknowledged} | equal |`,
    `| duplicate voters | ${s.duplicates} | 0 |`,
    `| lost (acknowledged − counted) | ${s.lost} | 0 |`,
    `| acknowledged receipts missing from published ballots | ${s.missingReceipts} | 0 |`,
    `| result = independent recount | ${s.sameResult ? 'yes' : 'NO'} | yes |`,
    `| signed bundle verifies | ${s.bundleProblems.length === 0 ? 'yes' : s.bundleProblems.join('; ')} | yes |`,
    `| close (count ${s.acknowledged.toLocaleString('en')} ballots, store, shuffle) | ${Math.round(s.closeMs)} ms | |`,
    `| non-201 answers | ${JSON.stringify(s.failures)} | none |`,
    '',
    `Outcome: ${pass ? 'correct' : 'INCORRECT'}; ${meetsTarget ? 'time and latency targets met' : 'time/latency target not met on this run (see the numbers above)'}.`,
    end,
  ].join('\n')
  const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const start = current.indexOf(begin)
  const stop = current.indexOf(end)
  const next =
    start >= 0 && stop > start
      ? current.slice(0, start) + section + current.slice(stop + end.length)
      : `${current.replace(/\s*$/, '')}\n\n${section}\n`
  writeFileSync(file, next)
  log('wrote the bench:votes section of docs/benchmarks.md')
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`)
  process.exit(1)
})
