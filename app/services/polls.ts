import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { schedulePollStatus } from '#realtime/poll_status'
import type Poll from '#models/poll'
import PollProposal from '#models/poll_proposal'
import PollParticipation from '#models/poll_participation'
import ElectoralRegister from '#models/electoral_register'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import {
  CountInputError,
  normalizeSettings,
  startCheck,
  type MethodId,
} from '#domain/polls/counting/index'
import { HISTORIC_METHOD_IDS, METHOD_IDS } from '#domain/polls/counting/index'
import { policyFor } from '#domain/electoral_register/register'
import type { PollMachineFacts } from '#domain/polls/state_machine'
import { activeStates } from '#domain/polls/state_machine'

/** Methods a poll may use (domain §10.5): not historic, not the library-only cpo_stv. */
export function isPollMethod(name: string): name is MethodId {
  return (
    (METHOD_IDS as readonly string[]).includes(name) &&
    name !== 'cpo_stv' &&
    !(HISTORIC_METHOD_IDS as readonly string[]).includes(name)
  )
}

/** Problems of a method + settings pair (empty when valid), as "settings.key: message". */
export function settingsProblems(method: string, settings: unknown): string[] {
  if (!isPollMethod(method)) return [`method_name: unknown or historic method "${method}"`]
  try {
    normalizeSettings(method, settings ?? null)
    return []
  } catch (error) {
    if (error instanceof CountInputError)
      return error.issues.map((issue) => `${issue.path}: ${issue.message}`)
    throw error
  }
}

export async function pollProposalIds(client: QueryClientContract, poll: Poll): Promise<number[]> {
  const rows = await PollProposal.forOrganisation(poll.organisationId)
    .where('poll_id', poll.id)
    .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
    .orderBy('proposal_id')
  return rows.map((row) => row.proposalId)
}

/** Facts for the poll machine's guards (domain §10.3). */
export async function pollMachineFacts(
  client: QueryClientContract,
  poll: Poll,
  meeting: Meeting,
  item: AgendaItem | null,
  options: { reason?: string | null } = {}
): Promise<PollMachineFacts> {
  const proposals = await pollProposalIds(client, poll)
  const problems = settingsProblems(poll.methodName, poll.settings)
  let startProblems: string[] = []
  if (problems.length === 0)
    startProblems = startCheck(
      poll.methodName as MethodId,
      normalizeSettings(poll.methodName as MethodId, poll.settings ?? null),
      proposals.length
    )
  let policyRegistered = true
  let manualRegisterMissing = false
  try {
    const policy = policyFor(meeting.erPolicyName)
    if (policy.flags.requireManual) {
      const existing = await ElectoralRegister.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
        .first()
      manualRegisterMissing = !existing
    }
  } catch {
    policyRegistered = false
  }
  return {
    settingsProblems: problems,
    startProblems,
    policyRegistered,
    manualRegisterMissing,
    meetingOngoing: meeting.state === 'ongoing',
    agendaItemOngoing: item === null || item.state === 'ongoing',
    reasonGiven: !!options.reason && options.reason.trim().length > 0,
  }
}

/** After the commit, the poll's live turnout goes out (coalesced: poll.status, api.md §8). */
export function announceTurnoutAfterCommit(trx: TransactionClientContract, poll: Poll) {
  trx.after('commit', async () => {
    void schedulePollStatus(poll.meetingId, poll.id, async () => ({
      id: poll.id,
      meeting: poll.meetingId,
      ...(await pollTurnout(poll)),
    })).catch(() => undefined)
  })
}

export interface Turnout {
  voted: number
  total: number
  voted_weight: number
  total_weight: number
}

/** Live turnout (domain §10.1): who voted or abstained, by head and by register weight. */
export async function pollTurnout(
  poll: Poll,
  client: QueryClientContract = db.connection()
): Promise<Turnout> {
  if (poll.turnout) {
    return {
      voted: poll.turnout.turnout_voters,
      total: poll.turnout.voters,
      voted_weight: poll.turnout.turnout_weight,
      total_weight: poll.turnout.total_weight,
    }
  }
  if (!poll.electoralRegisterId) return { voted: 0, total: 0, voted_weight: 0, total_weight: 0 }
  const register = await cachedRegister(client, poll.organisationId, poll.electoralRegisterId)
  if (!register) return { voted: 0, total: 0, voted_weight: 0, total_weight: 0 }
  const rows = await PollParticipation.forOrganisation(poll.organisationId)
    .where('poll_id', poll.id)
    .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
    .select('user_id')
  let voted = 0
  let votedWeight = 0
  for (const row of rows) {
    const weight = register.weights.get(Number(row.userId))
    if (weight === undefined) continue
    voted++
    votedWeight += weight
  }
  return {
    voted,
    total: register.weights.size,
    voted_weight: votedWeight,
    total_weight: register.totalWeight,
  }
}

/**
 * Registers are immutable (domain §11.1), so their voter maps can be cached
 * by id: a vote then checks the register without reading it again.
 */
const registerCache = new Map<number, { weights: Map<number, number>; totalWeight: number }>()

export async function cachedRegister(
  client: QueryClientContract,
  organisationId: number,
  registerId: number
) {
  const hit = registerCache.get(registerId)
  if (hit) return hit
  const register = await ElectoralRegister.forOrganisation(organisationId)
    .where('id', registerId)
    .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
    .first()
  if (!register) return null
  const entry = { weights: register.voterMap, totalWeight: register.totalWeight }
  if (registerCache.size > 200) registerCache.delete(registerCache.keys().next().value!)
  registerCache.set(registerId, entry)
  return entry
}

/** The proposals of polls in `upcoming`/`ongoing` (for the proposal module's lock, D23/D24). */
export async function proposalsInPolls(
  client: QueryClientContract,
  query: { proposalIds: number[]; activeOnly: boolean; exceptPollId?: number }
): Promise<number[]> {
  const rows = await client
    .from('poll_proposals')
    .join('polls', 'polls.id', 'poll_proposals.poll_id')
    .whereIn('poll_proposals.proposal_id', query.proposalIds)
    .if(query.activeOnly, (q) => q.whereIn('polls.state', [...activeStates]))
    .if(query.exceptPollId !== undefined, (q) => q.whereNot('polls.id', query.exceptPollId!))
    .select('poll_proposals.proposal_id')
  return rows.map((row: any) => Number(row.proposal_id))
}

/** The vote payload back from its canonical string (api.md §6.13 `Vote.vote`). */
export function votePayload(
  method: string,
  voteData: string,
  abstain: boolean
): Record<string, unknown> | null {
  if (abstain) return null
  switch (method) {
    case 'simple':
      return { choice: voteData }
    case 'combined_simple':
    case 'majority':
      return JSON.parse(voteData)
    case 'dutt':
      return { choices: JSON.parse(voteData) }
    case 'schulze':
    case 'repeated_schulze':
      return { ranking: JSON.parse(voteData) }
    default:
      return {
        ranking:
          voteData === ''
            ? []
            : voteData.split(',').map((id) => (/^\d+$/.test(id) ? Number(id) : id)),
      }
  }
}

export async function ongoingPollCount(
  client: QueryClientContract,
  scope: { meetingId: number; agendaItemId?: number }
) {
  const row = await client
    .from('polls')
    .where('meeting_id', scope.meetingId)
    .where('state', 'ongoing')
    .if(scope.agendaItemId !== undefined, (q) => q.where('agenda_item_id', scope.agendaItemId!))
    .count('* as total')
    .first()
  return Number(row?.total ?? 0)
}

/** Advisory-lock namespace of polls (PostgreSQL): votes share it, transitions take it exclusively. */
const POLL_LOCK_SPACE = 7007

/**
 * Serialises casting against state changes without writing the poll row:
 * every vote transaction holds a shared advisory lock on the poll, a state
 * change (close, cancel, reset…) an exclusive one, so a close waits for the
 * votes in flight and later votes see the new state. Row share locks
 * (`FOR SHARE`) would do the same but write a MultiXact into the poll row for
 * every voter, which serialises thousands of concurrent votes. SQLite
 * serialises write transactions by itself.
 */
export async function lockPollForVote(trx: QueryClientContract, pollId: number) {
  if (trx.dialect.name === 'postgres')
    await trx.rawQuery('select pg_advisory_xact_lock_shared(?, ?)', [POLL_LOCK_SPACE, pollId])
}

export async function lockPollForTransition(trx: QueryClientContract, pollId: number) {
  if (trx.dialect.name === 'postgres')
    await trx.rawQuery('select pg_advisory_xact_lock(?, ?)', [POLL_LOCK_SPACE, pollId])
}
