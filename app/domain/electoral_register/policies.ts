/**
 * Electoral register policies (registry `er_policies`, domain §11.4). Each is a
 * pure function of RegisterFacts; the app creates the register from the result.
 */
import { SeededRandom } from '#domain/polls/counting/random'
import {
  RegisterError,
  type GroupFacts,
  type MemberFacts,
  type PolicyFlags,
  type RegisterComputation,
  type RegisterFacts,
  type VoterMap,
} from '#domain/electoral_register/types'

export type ErPolicyName =
  | 'auto_before_poll'
  | 'manual_trigger'
  | 'manual'
  | 'auto_always'
  | 'gv_auto_before_p'
  | 'group_auto_eq_rnd_bf'
  | 'main_subst_active'
  | 'main_subst_delegate'
  | 'skk_kfum'
  | 'skr_agarrad'
  | 'presence_check'
  | 'unrestricted'

export interface ErPolicy {
  name: ErPolicyName
  title: string
  description: string
  flags: PolicyFlags
  /** Who should be voters now (domain §11.3 get_voters). */
  computeVoters(facts: RegisterFacts): RegisterComputation
}

const baseFlags: PolicyFlags = {
  available: false,
  handlesVoteWeight: false,
  allowManual: false,
  requireManual: false,
  allowTrigger: false,
  allowPollErChange: false,
  handlesActiveCheck: false,
  groupVotesActive: null,
  handlesDelegateTo: false,
  voteTransferPolicy: null,
}

const holdsPv = (member: MemberFacts) => member.roles.includes('pv')

/** pv holders, intersected with active users when the policy honours it and the component is on. */
function eligible(facts: RegisterFacts, flags: PolicyFlags): Map<number, MemberFacts> {
  const result = new Map<number, MemberFacts>()
  for (const member of facts.members) {
    if (!holdsPv(member)) continue
    if (flags.handlesActiveCheck && facts.activeUsersEnabled && member.activeSince === null)
      continue
    result.set(member.userId, member)
  }
  return result
}

/** Activation order when the component is on, user id order otherwise (domain §11.4). */
function byActivation(facts: RegisterFacts, members: MemberFacts[]): MemberFacts[] {
  return [...members].sort((a, b) => {
    if (facts.activeUsersEnabled) {
      const diff = (a.activeSince ?? Infinity) - (b.activeSince ?? Infinity)
      if (diff !== 0) return diff
    }
    return a.userId - b.userId
  })
}

function add(voters: VoterMap, userId: number, weight: number) {
  if (weight <= 0) return
  voters.set(userId, (voters.get(userId) ?? 0) + weight)
}

function sortedVoters(voters: VoterMap): VoterMap {
  return new Map([...voters].sort(([a], [b]) => a - b))
}

function onePerPvHolder(flags: PolicyFlags) {
  return (facts: RegisterFacts): RegisterComputation => {
    const voters: VoterMap = new Map()
    for (const userId of eligible(facts, flags).keys()) voters.set(userId, 1)
    return { voters: sortedVoters(voters) }
  }
}

/** The final group of a delegation chain (cycles are refused when groups are saved; guarded anyway). */
function delegationTarget(groups: Map<number, GroupFacts>, group: GroupFacts): GroupFacts {
  const seen = new Set<number>([group.id])
  let current = group
  while (current.delegateTo !== null) {
    const next = groups.get(current.delegateTo)
    if (!next || seen.has(next.id)) {
      throw new RegisterError(
        'er.delegation_cycle',
        `Group "${group.groupid}" has a broken delegation chain`,
        {
          group: group.groupid,
        }
      )
    }
    seen.add(next.id)
    current = next
  }
  return current
}

const flagsOf = (overrides: Partial<PolicyFlags>): PolicyFlags => ({ ...baseFlags, ...overrides })

const autoFlags = flagsOf({
  available: true,
  allowTrigger: true,
  handlesActiveCheck: true,
  groupVotesActive: false,
})
const manualTriggerFlags = { ...autoFlags, requireManual: true }
const manualFlags = flagsOf({
  available: true,
  handlesVoteWeight: true,
  allowManual: true,
  requireManual: true,
})
const autoAlwaysFlags = flagsOf({ available: true, allowPollErChange: true })

const gvFlags = flagsOf({ handlesVoteWeight: true, allowTrigger: true, groupVotesActive: true })
function groupVotesByAllocation(facts: RegisterFacts): RegisterComputation {
  const pv = eligible(facts, gvFlags)
  const voters: VoterMap = new Map()
  for (const group of facts.groups) {
    if (!group.votes || group.votes <= 0) continue
    let allocated = 0
    for (const membership of group.memberships) {
      const votes = membership.votes ?? 0
      allocated += votes
      if (pv.has(membership.userId)) add(voters, membership.userId, votes)
    }
    if (allocated > group.votes) {
      throw new RegisterError(
        'er.group_over_allocated',
        `Group "${group.groupid}" has ${allocated} votes allocated to its members but only ${group.votes} votes`,
        { group: group.groupid, allocated, votes: group.votes }
      )
    }
  }
  return { voters: sortedVoters(voters) }
}

const equalSplitFlags = flagsOf({
  available: true,
  handlesVoteWeight: true,
  groupVotesActive: true,
  allowTrigger: true,
  handlesActiveCheck: true,
  handlesDelegateTo: true,
})
function equalSplitOfGroupVotes(facts: RegisterFacts): RegisterComputation {
  const candidates = eligible(facts, equalSplitFlags)
  const groups = new Map(facts.groups.map((group) => [group.id, group]))
  // Delegation: a delegating group's votes go to the final target before splitting.
  const pooled = new Map<number, number>()
  for (const group of facts.groups) {
    if (!group.votes || group.votes <= 0) continue
    const target = delegationTarget(groups, group)
    pooled.set(target.id, (pooled.get(target.id) ?? 0) + group.votes)
  }
  // One stream per meeting: the order of remainder votes is stable for a meeting.
  const random = new SeededRandom(String(facts.meetingId))
  const voters: VoterMap = new Map()
  for (const group of facts.groups) {
    const votes = pooled.get(group.id) ?? 0
    if (votes <= 0) continue
    const members = [...new Set(group.memberships.map((m) => m.userId))]
      .filter((userId) => candidates.has(userId))
      .sort((a, b) => a - b)
    if (members.length === 0) continue
    const share = Math.floor(votes / members.length)
    const remainder = votes % members.length
    for (const userId of members) add(voters, userId, share)
    const order = random.shuffle(members)
    for (const userId of order.slice(0, remainder)) add(voters, userId, 1)
  }
  return { voters: sortedVoters(voters) }
}

const mainSubstActiveFlags = flagsOf({ allowTrigger: true, handlesActiveCheck: true })
function mainThenSubstitutes(facts: RegisterFacts): RegisterComputation {
  const candidates = eligible(facts, mainSubstActiveFlags)
  const voters: VoterMap = new Map()
  const membershipVotes = new Map<number, number | null>()
  const picked = new Set<number>()
  for (const group of facts.groups) {
    if (!group.votes || group.votes <= 0) continue
    let left = group.votes
    for (const role of ['main', 'substitute']) {
      const holders = group.memberships.filter((m) => m.role === role && candidates.has(m.userId))
      const ordered = byActivation(
        facts,
        holders.map((m) => candidates.get(m.userId)!)
      )
      for (const member of ordered) {
        if (left === 0 || picked.has(member.userId)) continue
        picked.add(member.userId)
        add(voters, member.userId, 1)
        const membership = holders.find((m) => m.userId === member.userId)!
        membershipVotes.set(membership.id, 1)
        left -= 1
      }
    }
    for (const membership of group.memberships) {
      if (!membershipVotes.has(membership.id)) membershipVotes.set(membership.id, null)
    }
  }
  return { voters: sortedVoters(voters), membershipVotes }
}

const mainSubstDelegateFlags = flagsOf({ allowTrigger: true, voteTransferPolicy: 'main_and_subst' })
function mainsWithTransfers(facts: RegisterFacts): RegisterComputation {
  const pv = eligible(facts, mainSubstDelegateFlags)
  const transferTo = new Map(facts.transfers.map((t) => [t.sourceId, t.targetId]))
  const voters: VoterMap = new Map()
  const mains = new Set<number>()
  for (const group of facts.groups) {
    for (const membership of group.memberships)
      if (membership.role === 'main') mains.add(membership.userId)
  }
  for (const userId of [...mains].sort((a, b) => a - b)) {
    if (!pv.has(userId)) continue
    const target = transferTo.get(userId)
    // Decision: a transfer to someone without pv is not honoured; the main keeps the vote.
    if (target !== undefined && pv.has(target)) add(voters, target, 1)
    else add(voters, userId, 1)
  }
  return { voters: sortedVoters(voters) }
}

const skkFlags = flagsOf({ allowTrigger: true, handlesActiveCheck: true })
function skkRounds(facts: RegisterFacts): RegisterComputation {
  const candidates = eligible(facts, skkFlags)
  const voters: VoterMap = new Map()
  const rounds: Array<[role: string, nth: number]> = [
    ['del_2', 1],
    ['del_1', 1],
    ['del_2', 2],
    ['del_1', 2],
    ['suppleant', 1],
    ['suppleant', 2],
  ]
  for (const group of facts.groups) {
    if (!group.votes || group.votes <= 0) continue
    let left = group.votes
    const given = new Map<number, number>()
    for (const [role, nth] of rounds) {
      const holders = group.memberships
        .filter((m) => m.role === role && candidates.has(m.userId))
        .map((m) => candidates.get(m.userId)!)
      for (const member of byActivation(facts, holders)) {
        if (left === 0) break
        if ((given.get(member.userId) ?? 0) !== nth - 1) continue
        given.set(member.userId, nth)
        add(voters, member.userId, 1)
        left -= 1
      }
    }
  }
  return { voters: sortedVoters(voters) }
}

const skrFlags = flagsOf({ handlesVoteWeight: true, handlesActiveCheck: true, allowTrigger: true })
function skrOwnersCouncil(facts: RegisterFacts): RegisterComputation {
  const candidates = eligible(facts, skrFlags)
  const groups = new Map(facts.groups.map((group) => [group.id, group]))
  const skr = facts.groups.find((group) => group.groupid === 'skr')
  const delegationsTo = new Map<number, number>()
  for (const group of facts.groups) {
    if (group.delegateTo === null) continue
    const target = delegationTarget(groups, group)
    delegationsTo.set(target.id, (delegationsTo.get(target.id) ?? 0) + 1)
  }
  const soleMember = (group: GroupFacts): number | null => {
    const members = [...new Set(group.memberships.map((m) => m.userId))].filter((id) =>
      candidates.has(id)
    )
    if (members.length > 1) {
      throw new RegisterError(
        'er.ambiguous_group',
        `Group "${group.groupid}" has more than one eligible member`,
        {
          group: group.groupid,
        }
      )
    }
    return members[0] ?? null
  }
  const voters: VoterMap = new Map()
  for (const group of facts.groups) {
    if (group === skr || group.delegateTo !== null) continue
    const isKommun = group.tags.includes('kommun')
    const isRegion = group.tags.includes('region')
    if (isKommun && isRegion) {
      throw new RegisterError(
        'er.invalid_group_tags',
        `Group "${group.groupid}" is tagged both kommun and region`,
        {
          group: group.groupid,
        }
      )
    }
    if (!isKommun && !isRegion) continue
    const member = soleMember(group)
    if (member !== null) add(voters, member, 1 + (delegationsTo.get(group.id) ?? 0))
  }
  if (skr) {
    const member = soleMember(skr)
    if (member !== null) {
      const others = [...voters.values()].reduce((sum, weight) => sum + weight, 0)
      add(voters, member, others + 2 * (delegationsTo.get(skr.id) ?? 0) - 1)
    }
  }
  return { voters: sortedVoters(voters) }
}

const unrestrictedFlags = flagsOf({ voteTransferPolicy: 'unrestricted' })
function pvWithTransfers(facts: RegisterFacts): RegisterComputation {
  const pv = eligible(facts, unrestrictedFlags)
  const transferTo = new Map(facts.transfers.map((t) => [t.sourceId, t.targetId]))
  const voters: VoterMap = new Map()
  for (const userId of [...pv.keys()].sort((a, b) => a - b)) {
    const target = transferTo.get(userId)
    add(voters, target !== undefined && pv.has(target) ? target : userId, 1)
  }
  return { voters: sortedVoters(voters) }
}

function notComputable(name: string) {
  return (): RegisterComputation => {
    throw new RegisterError('er.policy_mismatch', `The policy "${name}" cannot compute voters`)
  }
}

export const erPolicies: Record<ErPolicyName, ErPolicy> = {
  auto_before_poll: {
    name: 'auto_before_poll',
    title: 'Automatic before poll',
    description: 'Every potential voter gets one vote; the register is updated when a poll opens.',
    flags: autoFlags,
    computeVoters: onePerPvHolder(autoFlags),
  },
  manual_trigger: {
    name: 'manual_trigger',
    title: 'Manual trigger',
    description:
      'As automatic, but a moderator creates each register; polls cannot start before the first.',
    flags: manualTriggerFlags,
    computeVoters: onePerPvHolder(manualTriggerFlags),
  },
  manual: {
    name: 'manual',
    title: 'Manual only',
    description: 'A moderator posts the weight of every voter.',
    flags: manualFlags,
    computeVoters: notComputable('manual'),
  },
  auto_always: {
    name: 'auto_always',
    title: 'Demo meeting: always update',
    description: 'Every potential voter gets one vote; any change updates ongoing polls at once.',
    flags: autoAlwaysFlags,
    computeVoters: onePerPvHolder(autoAlwaysFlags),
  },
  gv_auto_before_p: {
    name: 'gv_auto_before_p',
    title: 'Group votes',
    description: "Each voter's weight is the sum of the votes allocated to them in their groups.",
    flags: gvFlags,
    computeVoters: groupVotesByAllocation,
  },
  group_auto_eq_rnd_bf: {
    name: 'group_auto_eq_rnd_bf',
    title: 'Equal weighted group votes',
    description:
      "Each group's votes are split evenly among its eligible members; the remainder by a stable draw.",
    flags: equalSplitFlags,
    computeVoters: equalSplitOfGroupVotes,
  },
  main_subst_active: {
    name: 'main_subst_active',
    title: 'Main/Substitute + active',
    description: 'Main members vote first, then substitutes, until the group votes run out.',
    flags: mainSubstActiveFlags,
    computeVoters: mainThenSubstitutes,
  },
  main_subst_delegate: {
    name: 'main_subst_delegate',
    title: 'Main/Substitute + delegate votes',
    description: 'Every main member votes, or the substitute they transferred their vote to.',
    flags: mainSubstDelegateFlags,
    computeVoters: mainsWithTransfers,
  },
  skk_kfum: {
    name: 'skk_kfum',
    title: 'SKK Kennelfullmäktige',
    description:
      'Group votes handed out in rounds to delegates, then substitutes; at most two each.',
    flags: skkFlags,
    computeVoters: skkRounds,
  },
  skr_agarrad: {
    name: 'skr_agarrad',
    title: 'SKRs ägarråd',
    description: 'One vote per municipality or region plus delegations; SKR balances the sum.',
    flags: skrFlags,
    computeVoters: skrOwnersCouncil,
  },
  presence_check: {
    name: 'presence_check',
    title: 'Presence check (historic)',
    description: 'Recognised in imported data only.',
    flags: flagsOf({ allowManual: true, handlesVoteWeight: true, historic: true }),
    computeVoters: notComputable('presence_check'),
  },
  unrestricted: {
    name: 'unrestricted',
    title: 'Unrestricted transfers (tests)',
    description: 'Every potential voter gets one vote; a transfer moves it to the target.',
    flags: unrestrictedFlags,
    computeVoters: pvWithTransfers,
  },
}

export function isErPolicyName(name: string): name is ErPolicyName {
  return Object.prototype.hasOwnProperty.call(erPolicies, name)
}
