/**
 * The pure steps of the invite creation pipeline (domain §16.3): column checks, normalisation,
 * intersection check, matching against existing invites (partial conflicts) and the moderator
 * lock-out check. The database steps (groups exist, upsert) are done by the action.
 * Framework-free.
 */
import { DomainError, fieldError } from '../errors.js'
import {
  addRoles,
  isRoleCode,
  meetingRoleAliases,
  meetingRoles,
  type MeetingRoleCode,
} from '../permissions/roles.js'
import type { InviteState } from './state_machine.js'
import {
  IDENTITY_TYPES,
  isAnnotationType,
  isIdentityType,
  type IdentityAdapter,
  type IdentityType,
  type UserData,
} from './identity.js'

/** Q18: synchronous imports are limited to 5,000 rows per request. */
export const MAX_INVITE_ROWS = 5000

export interface RawInviteRow {
  [column: string]: unknown
}

export interface InviteRow {
  /** how the caller names the row in messages: 1-based index of `data`, or the file line */
  label: number
  /** index in the input, for field paths */
  index: number
  userData: UserData
  roles: MeetingRoleCode[]
  group: string | null
  grouprole: string | null
}

export interface NormaliseOptions {
  defaultRoles: readonly string[]
  adapters: Record<IdentityType, IdentityAdapter>
  /** identity types the organisation offers (its `scope`) */
  allowedTypes: readonly IdentityType[]
  /** roles the installed dialect blocks (domain §20.2) */
  blockRoles: readonly MeetingRoleCode[]
  /** label of row i (default i + 1) */
  labelOf?: (index: number) => number
  /** field prefix of row i (default `data.<i>`) */
  fieldOf?: (index: number) => string
}

/** Role names (codes or legacy names) to sorted codes with closure; invites always grant `pa`. */
export function normaliseInviteRoles(roles: readonly string[], field: string): MeetingRoleCode[] {
  const codes = roles.map((role, index) => {
    const name = role.trim()
    const code = isRoleCode(meetingRoles, name) ? name : meetingRoleAliases[name]
    if (!code) throw fieldError(`${field}.${index}`, `Unknown meeting role "${role}"`, 'enum')
    return code
  })
  return addRoles(meetingRoles, [], ['pa', ...codes])
}

/** A roles cell of a file: `pa, pr` or `pa pr` or `pa;pr`. */
export function splitRolesCell(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean)
}

/** Steps 1–3: columns, normalisation, intersection check. Throws DomainError (422). */
export function normaliseInviteRows(
  raw: readonly RawInviteRow[],
  options: NormaliseOptions
): InviteRow[] {
  if (raw.length === 0) throw fieldError('data', 'Give at least one invitation row', 'required')
  if (raw.length > MAX_INVITE_ROWS) {
    throw new DomainError('invites.too_many_rows', `At most ${MAX_INVITE_ROWS} rows per request`, {
      field: 'data',
      meta: { max: MAX_INVITE_ROWS, rows: raw.length },
    })
  }
  const labelOf = options.labelOf ?? ((index) => index + 1)
  const fieldOf = options.fieldOf ?? ((index) => `data.${index}`)
  const defaultRoles = normaliseInviteRoles(options.defaultRoles, 'roles')

  const rows = raw.map((input, index): InviteRow => {
    const field = fieldOf(index)
    const columns = Object.keys(input)
    // Step 1: known columns; grouprole only together with (after) group.
    for (const column of columns) {
      if (column === 'roles') continue
      if (isIdentityType(column)) {
        if (!options.allowedTypes.includes(column)) {
          throw fieldError(
            `${field}.${column}`,
            `The organisation does not use "${column}" for invitations`,
            'enum'
          )
        }
        continue
      }
      if (isAnnotationType(column)) continue
      throw fieldError(`${field}.${column}`, `Unknown column "${column}"`, 'enum')
    }
    const text = (column: string): string | null => {
      const value = input[column]
      if (value === undefined || value === null) return null
      if (typeof value === 'number') return String(value)
      if (typeof value !== 'string')
        throw fieldError(`${field}.${column}`, `${column} must be text`, 'string')
      return value.trim() === '' ? null : value
    }
    // Step 2: normalisation by adapter.
    const userData: UserData = {}
    for (const type of IDENTITY_TYPES) {
      const value = text(type)
      if (value === null) continue
      const result = options.adapters[type].normalise(value)
      if ('error' in result)
        throw fieldError(`${field}.${type}`, `"${value}" ${result.error}`, type)
      userData[type] = result.value
    }
    if (Object.keys(userData).length === 0) {
      throw fieldError(
        field,
        `Row ${labelOf(index)} has no identity (${options.allowedTypes.join(', ')})`,
        'required'
      )
    }
    let roles = defaultRoles
    const rolesValue = input.roles
    if (rolesValue !== undefined && rolesValue !== null && rolesValue !== '') {
      const list = Array.isArray(rolesValue)
        ? rolesValue.map(String)
        : typeof rolesValue === 'string'
          ? splitRolesCell(rolesValue)
          : null
      if (!list) throw fieldError(`${field}.roles`, 'roles must be a list of role codes', 'array')
      roles = normaliseInviteRoles(list, `${field}.roles`)
    }
    const blocked = roles.filter((role) => options.blockRoles.includes(role))
    if (blocked.length) {
      throw new DomainError(
        'invites.blocked_role',
        `The installed dialect does not let invitations assign ${blocked.join(', ')}`,
        { field: `${field}.roles`, meta: { roles: blocked, rows: [labelOf(index)] } }
      )
    }
    const group = text('group')
    const grouprole = text('grouprole')
    if (grouprole !== null && group === null) {
      throw fieldError(
        `${field}.grouprole`,
        'A grouprole needs a group in the same row',
        'requiredWith'
      )
    }
    return { label: labelOf(index), index, userData, roles, group, grouprole }
  })

  // Step 3: one identity value must not appear on several rows.
  const byValue = new Map<string, InviteRow[]>()
  for (const row of rows) {
    for (const [type, value] of Object.entries(row.userData)) {
      const key = `${type}:${value}`
      byValue.set(key, [...(byValue.get(key) ?? []), row])
    }
  }
  for (const [key, group] of byValue) {
    if (group.length < 2) continue
    const labels = group.map((row) => row.label)
    const [type] = key.split(':')
    const sameRoles = group.every((row) => row.roles.join() === group[0].roles.join())
    if (!sameRoles) {
      throw new DomainError(
        'invites.conflicting_roles',
        `One ${type} is given conflicting roles on rows ${labels.join(', ')}`,
        {
          meta: { rows: labels, type },
        }
      )
    }
    throw new DomainError(
      'invites.duplicate_identity',
      `One ${type} appears on rows ${labels.join(', ')}`,
      {
        meta: { rows: labels, type },
      }
    )
  }
  return rows
}

export interface ExistingInvite {
  id: number
  userData: UserData
  roles: MeetingRoleCode[]
  state: InviteState
  usedBy: number | null
}

export type RowMatch =
  | { kind: 'new'; row: InviteRow }
  | { kind: 'existing'; row: InviteRow; invite: ExistingInvite; userData: UserData }

/**
 * Step 5: a row matches the invite sharing one of its identity values. A row whose values point to
 * two different invites, or that contradicts the matched invite's value of the same type, is a
 * partial conflict (422). A row may add identity types the invite does not have yet.
 */
export function matchExistingInvites(
  rows: readonly InviteRow[],
  existing: readonly ExistingInvite[]
): RowMatch[] {
  const index = new Map<string, ExistingInvite>()
  for (const invite of existing) {
    for (const [type, value] of Object.entries(invite.userData))
      index.set(`${type}:${value}`, invite)
  }
  const conflicts: number[] = []
  const matches = rows.map((row): RowMatch => {
    const found = new Set<ExistingInvite>()
    for (const [type, value] of Object.entries(row.userData)) {
      const invite = index.get(`${type}:${value}`)
      if (invite) found.add(invite)
    }
    if (found.size === 0) return { kind: 'new', row }
    const [invite] = found
    const contradicts = Object.entries(row.userData).some(
      ([type, value]) =>
        invite.userData[type as IdentityType] !== undefined &&
        invite.userData[type as IdentityType] !== value
    )
    if (found.size > 1 || contradicts) {
      conflicts.push(row.label)
      return { kind: 'new', row }
    }
    return { kind: 'existing', row, invite, userData: { ...invite.userData, ...row.userData } }
  })
  if (conflicts.length) {
    throw new DomainError(
      'invites.partial_conflict',
      `Rows ${conflicts.join(', ')} match different existing invitations with different identity values`,
      { meta: { rows: conflicts } }
    )
  }
  return matches
}

/**
 * Step 6 (moderator lock-out protection): accepted invites are synced to the new roles; a sync that
 * removes `mo` from a user who holds it now is refused, listing their userids.
 */
export function moderatorDowngrades(
  matches: readonly RowMatch[],
  currentRoles: ReadonlyMap<number, readonly MeetingRoleCode[]>
): number[] {
  const users: number[] = []
  for (const match of matches) {
    if (
      match.kind !== 'existing' ||
      match.invite.state !== 'accepted' ||
      match.invite.usedBy === null
    )
      continue
    const now = currentRoles.get(match.invite.usedBy) ?? []
    if (now.includes('mo') && !match.row.roles.includes('mo')) users.push(match.invite.usedBy)
  }
  return users
}

/**
 * D51: the member's meeting roles after syncing with the invite roles: equal to the invite roles,
 * except roles listed in `block_roles`, which keep their current presence.
 */
export function syncedRoles(
  current: readonly MeetingRoleCode[],
  inviteRoles: readonly MeetingRoleCode[],
  blockRoles: readonly MeetingRoleCode[]
): MeetingRoleCode[] {
  const kept = current.filter((role) => blockRoles.includes(role))
  const wanted = inviteRoles.filter((role) => !blockRoles.includes(role))
  return addRoles(meetingRoles, [], [...wanted, ...kept])
}

/** The canonical key of a user_data object: unique per meeting (domain §16.3). */
export function userDataKey(data: UserData): string {
  return IDENTITY_TYPES.filter((type) => data[type] !== undefined)
    .map((type) => `${type}:${data[type]}`)
    .join('|')
}
