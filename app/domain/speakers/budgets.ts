/**
 * Group time budgets (beyond.md B-ADD-02, api.md §11.4) and speaker history
 * aggregation (domain §12.6, beyond.md B-ADD-03). One pure computation used by
 * every display (API, admin, projector), so the numbers cannot disagree
 * (beyond.md B-PAIN-14).
 *
 * Rules: only speeches draw on budgets (points of order are procedural); a
 * speech by a member of several groups draws on each of them; the running
 * turn counts with its elapsed whole seconds so far.
 */

export interface FinishedTurn {
  userId: number
  seconds: number
  kind: 'speech' | 'point_of_order'
}

export interface RunningTurn {
  userId: number
  elapsedSeconds: number
  kind: 'speech' | 'point_of_order'
}

export interface BudgetInput {
  budgets: ReadonlyArray<{ groupId: number; seconds: number }>
  /** Members per group id. */
  members: ReadonlyMap<number, readonly number[]>
  finished: readonly FinishedTurn[]
  running: RunningTurn | null
  enforce: boolean
}

export interface BudgetStatus {
  group: number
  seconds: number
  used_seconds: number
  remaining_seconds: number
  exhausted: boolean
  enforced: boolean
}

export function budgetStatus(input: BudgetInput): BudgetStatus[] {
  const spoken = new Map<number, number>()
  for (const turn of input.finished) {
    if (turn.kind !== 'speech') continue
    spoken.set(turn.userId, (spoken.get(turn.userId) ?? 0) + turn.seconds)
  }
  if (input.running && input.running.kind === 'speech') {
    spoken.set(
      input.running.userId,
      (spoken.get(input.running.userId) ?? 0) + input.running.elapsedSeconds
    )
  }
  return input.budgets.map(({ groupId, seconds }) => {
    const used = (input.members.get(groupId) ?? []).reduce(
      (sum, userId) => sum + (spoken.get(userId) ?? 0),
      0
    )
    return {
      group: groupId,
      seconds,
      used_seconds: used,
      remaining_seconds: seconds - used,
      exhausted: used >= seconds,
      enforced: input.enforce,
    }
  })
}

/** Whether a user may be started when budgets are enforced: no exhausted budget of any of their groups. */
export function exhaustedGroupsOf(
  userId: number,
  statuses: readonly BudgetStatus[],
  members: ReadonlyMap<number, readonly number[]>
) {
  return statuses.filter(
    (status) => status.exhausted && (members.get(status.group) ?? []).includes(userId)
  )
}

export interface HistoryRow {
  user: number
  times_spoken: number
  seconds_spoken: number
  points_of_order: number
}

export interface GroupHistoryRow {
  group: number
  times_spoken: number
  seconds_spoken: number
}

export type HistoryOrdering =
  'user' | 'times_spoken' | '-times_spoken' | 'seconds_spoken' | '-seconds_spoken'

/** Domain §12.6 history `[{user, times_spoken, seconds_spoken}]`, plus the number of points of order. */
export function speakerHistory(
  turns: readonly FinishedTurn[],
  ordering: HistoryOrdering = 'user'
): HistoryRow[] {
  const rows = new Map<number, HistoryRow>()
  for (const turn of turns) {
    const row = rows.get(turn.userId) ?? {
      user: turn.userId,
      times_spoken: 0,
      seconds_spoken: 0,
      points_of_order: 0,
    }
    row.times_spoken += 1
    row.seconds_spoken += turn.seconds
    if (turn.kind === 'point_of_order') row.points_of_order += 1
    rows.set(turn.userId, row)
  }
  return sortRows([...rows.values()], ordering, (row) => row.user)
}

/** Total speaking time per group (beyond.md B-PAIN-13); a member of several groups counts in each. */
export function groupHistory(
  turns: readonly FinishedTurn[],
  members: ReadonlyMap<number, readonly number[]>,
  ordering: HistoryOrdering = 'user'
): GroupHistoryRow[] {
  const perUser = new Map(speakerHistory(turns).map((row) => [row.user, row]))
  const rows: GroupHistoryRow[] = []
  for (const [group, users] of members) {
    const row = { group, times_spoken: 0, seconds_spoken: 0 }
    for (const userId of new Set(users)) {
      row.times_spoken += perUser.get(userId)?.times_spoken ?? 0
      row.seconds_spoken += perUser.get(userId)?.seconds_spoken ?? 0
    }
    rows.push(row)
  }
  return sortRows(rows, ordering, (row) => row.group)
}

function sortRows<R extends { times_spoken: number; seconds_spoken: number }>(
  rows: R[],
  ordering: HistoryOrdering,
  id: (row: R) => number
): R[] {
  const descending = ordering.startsWith('-')
  const field = ordering.replace(/^-/, '') as 'user' | 'times_spoken' | 'seconds_spoken'
  return rows.sort((a, b) => {
    const diff = field === 'user' ? 0 : (a[field] - b[field]) * (descending ? -1 : 1)
    return diff || id(a) - id(b)
  })
}
