/** Human-readable rendering of a count result (the CLI's `--pretty`, section 9.5). */
import type { CandidateId, CountResult, SchulzeRound } from './types.js'

function table(header: string[], rows: string[][], rightAlignFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

const ids = (list: readonly CandidateId[] | null | undefined) =>
  list && list.length ? list.join(', ') : '–'

function schulzeRound(round: SchulzeRound): string[] {
  const out: string[] = []
  if (round.candidates.length > 1) {
    const d = new Map(round.pairs.map(([[a, b], n]) => [`${a}\u0000${b}`, n]))
    const rows = round.candidates.map((a) => [
      String(a),
      ...round.candidates.map((b) => (a === b ? '·' : String(d.get(`${a}\u0000${b}`) ?? 0))),
    ])
    out.push(table(['d(row, col)', ...round.candidates.map(String)], rows))
  }
  if (round.actions.length) {
    out.push(
      'heuristic: ' +
        round.actions
          .map((a) =>
            'nodes' in a
              ? `drop ${ids(a.nodes)}`
              : `cut ${a.edges.map(([x, y]) => `${x}→${y}`).join(', ')}`
          )
          .join('; ')
    )
  }
  out.push(
    `winner: ${round.winner ?? '–'}` +
      (round.tied_winners ? ` (tied: ${ids(round.tied_winners)}; tie-break by random order)` : '')
  )
  return out
}

export function formatPretty(result: CountResult): string {
  const out: string[] = [
    `${result.method}: ${result.vote_count} ballots, ${result.abstains} abstentions`,
  ]
  switch (result.method) {
    case 'simple':
      out.push(
        table(
          ['', 'votes'],
          [
            ['yes', String(result.yes)],
            ['no', String(result.no)],
          ]
        )
      )
      break
    case 'combined_simple':
      out.push(
        table(
          ['proposal', 'yes', 'no', 'abstain'],
          Object.entries(result.results).map(([id, r]) => [
            id,
            String(r.yes),
            String(r.no),
            String(r.abstain),
          ])
        )
      )
      break
    case 'majority':
    case 'dutt':
      out.push(
        table(
          ['proposal', 'votes'],
          result.results.map((r) => [String(r.proposal), String(r.votes)])
        )
      )
      break
    case 'schulze':
      out.push(...schulzeRound(result))
      break
    case 'repeated_schulze':
      result.rounds.forEach((round, i) => {
        out.push(`round ${i + 1}: candidates ${ids(round.candidates)}`, ...schulzeRound(round))
      })
      out.push(`order: ${ids(result.order)}`)
      break
    default: {
      const cands = result.candidates
      const rows = result.rounds.map((r, i) => [
        String(i + 1),
        r.status,
        r.method,
        r.selected.join(', '),
        ...cands.map((c) => {
          const v = r.vote_count[String(c)]
          return v === undefined ? '' : String(v)
        }),
      ])
      out.push(`quota ${result.quota}, empty ballots ${result.empty_ballot_count}`)
      out.push(table(['round', 'status', 'method', 'selected', ...cands.map(String)], rows, 4))
      out.push(`winners: ${ids(result.winners)}${result.complete ? '' : ' (incomplete)'}`)
      break
    }
  }
  out.push(`approved: ${ids(result.approved)}`, `denied: ${ids(result.denied)}`)
  if ('randomized' in result && result.randomized)
    out.push(`random tie-break order: ${ids(result.random_order)}`)
  if (result.seed !== null) out.push(`seed: ${result.seed}`)
  return out.join('\n')
}
