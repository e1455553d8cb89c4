/**
 * Pure rules for meeting groups (domain §7.2). Framework-free.
 */

/** Slug of a title for `groupid`: lower-case ASCII letters, digits and dashes. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90)
  return slug || 'group'
}

/**
 * The first free `groupid` for a title: the slug, then `-1` … `-5`; null when
 * all are taken (D11: the request then needs an explicit groupid).
 */
export function freeGroupid(title: string, taken: ReadonlySet<string>): string | null {
  const base = slugify(title)
  for (const candidate of [base, ...[1, 2, 3, 4, 5].map((n) => `${base}-${n}`)]) {
    if (!taken.has(candidate)) return candidate
  }
  return null
}

/** Whether setting `groupId.delegate_to = target` would create a cycle (self-delegation included). */
export function createsDelegationCycle(
  groupId: number,
  target: number,
  delegateTo: ReadonlyMap<number, number | null>
) {
  const seen = new Set<number>([groupId])
  let current: number | null = target
  while (current !== null) {
    if (seen.has(current)) return true
    seen.add(current)
    current = delegateTo.get(current) ?? null
  }
  return false
}

/**
 * D12: lowering a group's `votes` keeps member allocations in membership
 * creation order while the running sum stays within the total; later ones
 * become null. Input is in creation order; returns the new allocation per id.
 */
export function trimAllocations(
  memberships: readonly { id: number; votes: number | null }[],
  total: number | null
): Map<number, number | null> {
  const result = new Map<number, number | null>()
  if (total === null) {
    for (const membership of memberships) result.set(membership.id, membership.votes)
    return result
  }
  let sum = 0
  let exceeded = false
  for (const membership of memberships) {
    if (membership.votes === null) {
      result.set(membership.id, null)
      continue
    }
    if (!exceeded && sum + membership.votes <= total) {
      sum += membership.votes
      result.set(membership.id, membership.votes)
    } else {
      exceeded = true
      result.set(membership.id, null)
    }
  }
  return result
}

export interface BulkGroupLine {
  line: number
  title: string
  groupid: string
  votes: number | null
}

/** Parses bulk-create text: one group per line, `title<TAB>groupid[<TAB>votes]`. Empty lines are skipped. */
export function parseBulkGroups(
  text: string
): { ok: true; groups: BulkGroupLine[] } | { ok: false; line: number; message: string } {
  const groups: BulkGroupLine[] = []
  const seen = new Set<string>()
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    const line = index + 1
    if (!raw.trim()) continue
    const cells = raw.split('\t').map((cell) => cell.trim())
    if (cells.length < 2 || cells.length > 3)
      return { ok: false, line, message: 'Expected title<TAB>groupid[<TAB>votes]' }
    const [title, groupid, votesText] = cells
    if (!title || title.length > 255) return { ok: false, line, message: 'Invalid title' }
    if (!/^[a-z0-9][a-z0-9_-]{0,99}$/.test(groupid))
      return { ok: false, line, message: `Invalid groupid "${groupid}"` }
    if (seen.has(groupid)) return { ok: false, line, message: `Duplicate groupid "${groupid}"` }
    seen.add(groupid)
    let votes: number | null = null
    if (votesText !== undefined && votesText !== '') {
      if (!/^\d{1,7}$/.test(votesText))
        return { ok: false, line, message: `Invalid votes "${votesText}"` }
      votes = Number(votesText)
    }
    groups.push({ line, title, groupid, votes })
  }
  if (groups.length === 0) return { ok: false, line: 1, message: 'No groups given' }
  return { ok: true, groups }
}
