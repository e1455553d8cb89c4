/**
 * Proposal ID policies (registry `proposal_id_policies`, domain §9.6, §24).
 * Framework-free.
 *
 * A policy maps the facts of a new proposal to a *prefix*; the number is
 * `1 + the highest N` among the meeting's existing `prop_id`s that match
 * exactly `^{prefix}(\d+)$`. The prefix is also the lock key of the
 * allocation (per meeting), so only proposals that compete for the same
 * number series wait for each other. A policy returning null makes the system
 * use 8 random lowercase letters.
 */

export interface ProposalIdFacts {
  /** The author's `userid` (the login handle), if any. */
  authorUserid: string | null
  /** The author's full name, if any (fallback base of `userid`). */
  authorName: string | null
  /** The group's `groupid` when the proposal is posted `as_group`. */
  asGroupId: string | null
  /** 1-based position of the agenda item in the meeting's agenda order. */
  agendaItemPosition: number
  /** Meeting-level settings of the policy (e.g. the `sequential` prefix). */
  settings?: { prefix?: string }
}

export interface ProposalIdPolicy {
  name: string
  title: string
  description: string
  /** The prefix before the number, e.g. `anna-`; null → random id. */
  prefix: (facts: ProposalIdFacts) => string | null
}

/** Maximum length of a base before the `-N` suffix (domain §9.6). */
export const MAX_BASE_LENGTH = 45

/**
 * Slug of a base: Unicode letters and digits kept (lower-cased), everything
 * else collapsed to `-`, trimmed, truncated to 45 characters.
 */
export function slugifyBase(value: string): string {
  return value
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/-+$/g, '')
}

export const proposalIdPolicies = {
  userid: {
    name: 'userid',
    title: 'Author handle and number',
    description:
      'The group id (as group), else the author’s userid, else their name; then a per-base counter: anna-3.',
    prefix: (facts) => {
      const raw = facts.asGroupId || facts.authorUserid || facts.authorName || ''
      const base = slugifyBase(raw)
      return base ? `${base}-` : null
    },
  },
  sequential: {
    name: 'sequential',
    title: 'One counter per meeting',
    description:
      'A configurable prefix (default "P-") and one counter for the whole meeting: P-12.',
    prefix: (facts) => {
      const configured = facts.settings?.prefix
      const prefix =
        configured === undefined ? 'P-' : configured.replace(/[^\p{L}\p{N}_-]+/gu, '').slice(0, 20)
      return prefix
    },
  },
  agenda_item: {
    name: 'agenda_item',
    title: 'Agenda position and number',
    description: 'The agenda item’s position in the agenda and a counter per item: 3-2.',
    prefix: (facts) => `${facts.agendaItemPosition}-`,
  },
} satisfies Record<string, ProposalIdPolicy>

export type ProposalIdPolicyName = keyof typeof proposalIdPolicies

export const DEFAULT_PROPOSAL_ID_POLICY: ProposalIdPolicyName = 'userid'

/**
 * Resolves a meeting's `proposal_id_policy_name`: null means the default;
 * a stored name that no longer resolves is treated as the default too
 * (registry keys that vanish are invalid, never a crash — domain §0.2).
 */
export function resolveProposalIdPolicy(name: string | null | undefined): ProposalIdPolicy {
  if (name && Object.prototype.hasOwnProperty.call(proposalIdPolicies, name)) {
    return proposalIdPolicies[name as ProposalIdPolicyName]
  }
  return proposalIdPolicies[DEFAULT_PROPOSAL_ID_POLICY]
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The next id for `prefix` given the meeting's existing ids. Only exact
 * matches of `^{prefix}(\d+)$` count: `anna-` ignores `annabel-1`.
 */
export function nextProposalId(prefix: string, existing: Iterable<string>): string {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}(\\d+)$`, 'u')
  let highest = 0
  for (const id of existing) {
    const match = pattern.exec(id)
    if (match) highest = Math.max(highest, Number(match[1]))
  }
  return `${prefix}${highest + 1}`
}

/** The fallback id: 8 random lowercase letters (`random` returns [0, 1)). */
export function randomProposalId(random: () => number): string {
  let id = ''
  for (let index = 0; index < 8; index++) id += String.fromCharCode(97 + Math.floor(random() * 26))
  return id
}
