/*
| Counting benchmark (npm run bench:count).
|
| Counts each ward profile of tests/fixtures/polls, a generated STV profile of 1,000,000 ballots
| (12 candidates, 4 seats, truncated rankings) and Schulze with 20 candidates × 10,000 distinct
| ballots; prints the median milliseconds per `count` call and writes docs/benchmarks.md.
*/
import { execSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { count } from '#domain/polls/counting/index'
import { mergeBallots } from '#domain/polls/counting/ballot_data'
import { countSchulze } from '#domain/polls/counting/schulze/index'
import { validateDocument } from '#domain/polls/counting/validation'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIXTURES = `${ROOT}tests/fixtures/polls/`
const gc = (globalThis as { gc?: () => void }).gc

/** Small fast PRNG for generating profiles (not the counting PRNG). */
function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * 1,000,000 STV ballots over 12 candidates in 4 "parties" of 3: a voter picks a first preference
 * by popularity, then tends to stay within the party, and stops after a geometric number of
 * preferences (many bullet votes, few complete rankings), as in real ward data.
 */
function generateStvProfile(ballots: number, candidates: number, seats: number) {
  const rand = mulberry32(20240601)
  const ids = Array.from({ length: candidates }, (_, i) => i + 1)
  const popularity = ids.map((i) => 1 / i ** 0.8)
  const party = (c: number) => (c - 1) % 4
  const counter = new Map<string, number>()
  for (let v = 0; v < ballots; v++) {
    const left = ids.slice()
    const weights = popularity.slice()
    const ranking: number[] = []
    let length = 1
    while (length < candidates && rand() < 0.62) length++
    while (ranking.length < length) {
      const total = weights.reduce((s, w) => s + w, 0)
      let r = rand() * total
      let k = 0
      while (k < left.length - 1 && r >= weights[k]!) r -= weights[k++]!
      const chosen = left[k]!
      ranking.push(chosen)
      left.splice(k, 1)
      weights.splice(k, 1)
      // party loyalty: same-party candidates become more likely next
      for (let j = 0; j < left.length; j++) if (party(left[j]!) === party(chosen)) weights[j]! *= 4
    }
    const key = ranking.join(',')
    counter.set(key, (counter.get(key) ?? 0) + 1)
  }
  return {
    method: 'scottish_stv',
    settings: { winners: seats },
    candidates: ids,
    ballots: [...counter].map(([key, n]) => ({ ranking: key.split(',').map(Number), count: n })),
    seed: 'bench',
  }
}

/** 10,000 distinct Schulze ballots over 20 candidates, each rating a random subset with 0–10 stars. */
function generateSchulzeProfile(distinct: number, candidates: number) {
  const rand = mulberry32(7)
  const ids = Array.from({ length: candidates }, (_, i) => i + 1)
  const seen = new Set<string>()
  const ballots: Array<{ ranking: Array<[number, number]>; count: number }> = []
  while (ballots.length < distinct) {
    const ranking = ids
      .filter(() => rand() < 0.7)
      .map((id): [number, number] => [id, Math.floor(rand() * 11)])
    if (ranking.length === 0) continue
    const key = JSON.stringify(ranking)
    if (seen.has(key)) continue
    seen.add(key)
    ballots.push({ ranking, count: 1 + Math.floor(rand() * 5) })
  }
  return { method: 'schulze', settings: { stars: 10 }, candidates: ids, ballots, seed: 'bench' }
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

interface Row {
  name: string
  ballots: number
  distinct: number
  runs: number
  medianMs: number
  heapMb: number | null
  target: string
}

function bench(
  name: string,
  doc: Record<string, any>,
  runs: number,
  target: string,
  run: () => unknown = () => count(doc)
): Row {
  const ballots = (doc.ballots as Array<{ count: number }>).reduce((s, b) => s + b.count, 0)
  run() // warm-up (JIT)
  run()
  const times: number[] = []
  let heapMb: number | null = null
  for (let i = 0; i < runs; i++) {
    gc?.()
    const before = process.memoryUsage().heapUsed
    const t0 = performance.now()
    run()
    times.push(performance.now() - t0)
    // allocation high-water of one count, approximated by the growth before the next GC
    if (gc) heapMb = Math.max(heapMb ?? 0, (process.memoryUsage().heapUsed - before) / 2 ** 20)
  }
  const row = {
    name,
    ballots,
    distinct: doc.ballots.length,
    runs,
    medianMs: median(times),
    heapMb,
    target,
  }
  process.stdout.write(
    `${name.padEnd(50)} ${String(ballots).padStart(9)} ballots ${String(row.distinct).padStart(7)} distinct  ` +
      `median ${row.medianMs.toFixed(2).padStart(8)} ms  (${target})\n`
  )
  return row
}

const loadAtStart = loadavg()[0]!
const rows: Row[] = []
for (const file of readdirSync(FIXTURES)
  .filter((f) => /^stvpoll-scottish-ward-\d+\.json$/.test(f))
  .sort()) {
  const doc = JSON.parse(readFileSync(FIXTURES + file, 'utf8'))
  rows.push(bench(file.replace(/\.json$/, ''), doc, 25, '< 20 ms'))
}
const stvDoc = generateStvProfile(1_000_000, 12, 4)
rows.push(bench('generated STV 1M (12 cand., 4 seats)', stvDoc, 7, '< 1000 ms'))
const schulzeDoc = generateSchulzeProfile(10_000, 20)
rows.push(bench('Schulze 20 cand. × 10,000 distinct', schulzeDoc, 9, '< 100 ms'))
// The same profile, tally only: validated and merged once, outside the timing (for comparison).
const validSchulze = validateDocument(schulzeDoc)
const mergedSchulze = mergeBallots('schulze', validSchulze.ballots as never[])
rows.push(
  bench('… Schulze tally only (no validation, ballot data)', schulzeDoc, 9, 'for comparison', () =>
    countSchulze(validSchulze as never, mergedSchulze as never)
  )
)

const cpuModel = (() => {
  try {
    return (
      readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ??
      cpus()[0]?.model ??
      '?'
    )
  } catch {
    return cpus()[0]?.model ?? '?'
  }
})()
const nproc = (() => {
  try {
    return execSync('nproc', { encoding: 'utf8' }).trim()
  } catch {
    return String(cpus().length)
  }
})()

const md = [
  '# Counting benchmarks',
  '',
  'Generated by `npm run bench:count` (bin/bench/count.ts). Median wall-clock milliseconds per `count()` call',
  '(validation, ballot merging, ballot data and SHA-512 checksum included) after two warm-up calls.',
  'The generated STV profile aggregates 1,000,000 ballots into distinct rankings before counting, so',
  'memory follows the number of distinct rankings, not the number of voters.',
  '',
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Machine: ${nproc} CPUs (\`nproc\`), ${cpuModel}`,
  `- Node: ${process.version}`,
  `- Load average (1 min) at start: ${loadAtStart.toFixed(2)} (the machine is shared; timings scale with it)`,
  '',
  '| profile | ballots | distinct | runs | median ms | heap MB / count | target |',
  '|---|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.ballots.toLocaleString('en')} | ${r.distinct.toLocaleString('en')} | ${r.runs} | ` +
      `${r.medianMs.toFixed(2)} | ${r.heapMb === null ? 'n/a' : r.heapMb.toFixed(1)} | ${r.target} |`
  ),
  '',
]
writeFileSync(`${ROOT}docs/benchmarks.md`, md.join('\n'))
process.stdout.write('wrote docs/benchmarks.md\n')
