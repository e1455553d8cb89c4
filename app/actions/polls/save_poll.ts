import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { type DateTime } from 'luxon'
import Poll, { pollAuditState, pollTrackedFields } from '#models/poll'
import PollProposal from '#models/poll_proposal'
import Proposal from '#models/proposal'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import type User from '#models/user'
import { DomainError, fieldError } from '#domain/errors'
import type { MajorityRule, QuorumRule } from '#domain/polls/thresholds'
import { majorityMethods } from '#domain/polls/thresholds'
import { defaultReceiptMode, type ReceiptMode } from '#domain/polls/receipts'
import { CountInputError, normalizeSettings, type MethodId } from '#domain/polls/counting/index'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { meetingActor } from '#services/meeting_facts'
import { isPollMethod, pollProposalIds, pollTurnout } from '#services/polls'
import { sanitizeRichText } from '#services/rich_text'
import { publishAfterCommit } from '#realtime/publish'
import { pollMessages } from '#transformers/poll_transformer'
import TransitionPoll, { lockedPoll } from '#actions/polls/transition_poll'
import { assertPollMethodAllowed } from '#services/dialect_rules'

export interface PollFields {
  title?: string
  body?: string
  methodName?: string
  settings?: Record<string, unknown> | null
  proposals?: number[]
  pOrd?: 'c' | 'a' | 'r'
  withheldResult?: boolean
  closeAt?: DateTime | null
  secret?: boolean
  receiptMode?: ReceiptMode
  quorum?: QuorumRule | null
  majority?: MajorityRule | null
}

/** Method + settings: poll rules through the counting library (422 naming the settings field). */
function checkedSettings(method: string, settings: unknown): Record<string, unknown> | null {
  if (!isPollMethod(method))
    throw fieldError('method_name', `Unknown or historic poll method "${method}"`, 'exists')
  try {
    return normalizeSettings(method as MethodId, settings ?? null) as Record<string, unknown> | null
  } catch (error) {
    if (error instanceof CountInputError) {
      const issue = error.issues[0]
      throw new DomainError(
        'validation.failed',
        error.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
        {
          field: issue?.path?.startsWith('settings') ? issue.path : 'settings',
          rule: 'invalid',
        }
      )
    }
    throw error
  }
}

function checkRules(fields: PollFields, method: string) {
  if (fields.majority && !(majorityMethods as readonly string[]).includes(method)) {
    throw fieldError(
      'majority',
      'A majority rule applies to simple, combined_simple and majority polls only',
      'method'
    )
  }
  if (
    fields.quorum &&
    fields.quorum.type === 'percent_of_register' &&
    (fields.quorum.value <= 0 || fields.quorum.value > 100)
  ) {
    throw fieldError('quorum.value', 'A percentage must be between 0 and 100', 'range')
  }
}

async function checkProposals(
  trx: TransactionClientContract,
  meeting: Meeting,
  item: AgendaItem | null,
  ids: number[]
) {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return unique
  const rows = await Proposal.forOrganisation(meeting.organisationId)
    .whereIn('id', unique)
    .useTransaction(trx)
  for (const id of unique) {
    const proposal = rows.find((row) => row.id === id)
    if (
      !proposal ||
      proposal.meetingId !== meeting.id ||
      (item && proposal.agendaItemId !== item.id)
    ) {
      throw fieldError('proposals', `Proposal ${id} is not in the poll's agenda item`, 'exists')
    }
  }
  return unique.sort((a, b) => a - b)
}

async function writeProposals(trx: TransactionClientContract, poll: Poll, ids: number[]) {
  await PollProposal.forOrganisation(poll.organisationId)
    .where('poll_id', poll.id)
    .useTransaction(trx)
    .delete()
  if (ids.length === 0) return
  await trx
    .insertQuery()
    .table('poll_proposals')
    .multiInsert(
      ids.map((proposal) => ({
        organisation_id: poll.organisationId,
        poll_id: poll.id,
        proposal_id: proposal,
      }))
    )
}

/** POST /api/polls: create, and with `start` run make_ongoing in the same transaction. */
export class CreatePoll {
  async execute(input: {
    meeting: Meeting
    item: AgendaItem
    fields: PollFields & { title: string; methodName: string; proposals: number[] }
    start?: boolean
    user: User | null
    actor: Actor
  }): Promise<Poll> {
    const { meeting, item, fields } = input
    // api.md §11.1: the meeting's setting when the request does not say.
    const secret = fields.secret ?? meeting.defaultSecretPolls
    const settings = checkedSettings(fields.methodName, fields.settings)
    checkRules(fields, fields.methodName)
    const actor = input.start ? await meetingActor(input.user, meeting) : null
    return db.transaction(async (trx) => {
      await assertPollMethodAllowed(meeting, fields.methodName, trx)
      const proposals = await checkProposals(trx, meeting, item, fields.proposals)
      const poll = await Poll.create(
        {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          agendaItemId: item.id,
          title: fields.title,
          body: sanitizeRichText(fields.body ?? '', 'relaxed'),
          methodName: fields.methodName,
          settings,
          state: 'private',
          pOrd: fields.pOrd ?? 'c',
          withheldResult: fields.withheldResult ?? false,
          secret,
          receiptMode: fields.receiptMode ?? defaultReceiptMode(secret),
          quorum: fields.quorum ?? null,
          majority: fields.majority ?? null,
          closeAt: fields.closeAt ?? null,
          rev: 1,
        },
        { client: trx }
      )
      await writeProposals(trx, poll, proposals)
      await recordAudit(trx, input.actor, {
        organisationId: poll.organisationId,
        meetingId: poll.meetingId,
        agendaItemId: poll.agendaItemId,
        action: 'create',
        event: 'poll.created',
        model: 'Poll',
        objectId: poll.id,
        changes: {
          ...diffFields({}, pollAuditState(poll), pollTrackedFields),
          proposals: [null, proposals],
        },
      })
      publishAfterCommit(
        trx,
        pollMessages(
          poll,
          proposals,
          await pollTurnout(poll, trx),
          item.state,
          input.actor.requestId ?? null
        )
      )
      if (input.start) {
        return new TransitionPoll().execute({
          poll,
          event: 'make_ongoing',
          user: input.user,
          actor: input.actor,
          trx,
          meetingActor: actor,
        })
      }
      return poll
    })
  }
}

/** PATCH /api/polls/{id}: only while private/upcoming (the policy checks), re-validated as a whole. */
export class UpdatePoll {
  async execute(input: { poll: Poll; fields: PollFields; actor: Actor }): Promise<Poll> {
    return db.transaction(async (trx) => {
      const context = await lockedPoll(trx, input.poll.organisationId, input.poll.id)
      const { poll, meeting, item } = context
      if (poll.state !== 'private' && poll.state !== 'upcoming') {
        throw new DomainError('permission.denied', 'A poll can only be changed before it starts', {
          meta: { permission: 'poll.change' },
        })
      }
      const f = input.fields
      const method = f.methodName ?? poll.methodName
      if (f.methodName) await assertPollMethodAllowed(meeting, f.methodName, trx)
      const settings = checkedSettings(
        method,
        f.settings !== undefined ? f.settings : f.methodName ? null : poll.settings
      )
      checkRules(
        { majority: f.majority !== undefined ? f.majority : poll.majority, quorum: f.quorum },
        method
      )
      const before = { ...pollAuditState(poll), proposals: await pollProposalIds(trx, poll) }
      if (f.title !== undefined) poll.title = f.title
      if (f.body !== undefined) poll.body = sanitizeRichText(f.body, 'relaxed')
      poll.methodName = method
      poll.settings = settings
      if (f.pOrd !== undefined) poll.pOrd = f.pOrd
      if (f.withheldResult !== undefined) poll.withheldResult = f.withheldResult
      if (f.closeAt !== undefined) poll.closeAt = f.closeAt
      if (f.receiptMode !== undefined) poll.receiptMode = f.receiptMode
      else if (f.secret !== undefined && f.secret !== poll.secret)
        // The mode follows a secrecy change unless named (docs/polls.md).
        poll.receiptMode = defaultReceiptMode(f.secret)
      if (f.secret !== undefined) poll.secret = f.secret
      if (f.quorum !== undefined) poll.quorum = f.quorum
      if (f.majority !== undefined) poll.majority = f.majority
      let proposals = before.proposals
      if (f.proposals !== undefined) {
        proposals = await checkProposals(trx, meeting, item, f.proposals)
        if (poll.state === 'upcoming') {
          throw fieldError(
            'proposals',
            'Proposals cannot change while the poll is upcoming (they are locked)',
            'locked'
          )
        }
        await writeProposals(trx, poll, proposals)
      }
      poll.rev += 1
      await poll.useTransaction(trx).save()
      const changes = diffFields(before, { ...pollAuditState(poll), proposals }, [
        ...pollTrackedFields,
        'proposals',
      ] as const)
      await recordAudit(trx, input.actor, {
        organisationId: poll.organisationId,
        meetingId: poll.meetingId,
        agendaItemId: poll.agendaItemId,
        action: 'update',
        event: 'poll.updated',
        model: 'Poll',
        objectId: poll.id,
        changes,
      })
      publishAfterCommit(
        trx,
        pollMessages(
          poll,
          proposals,
          await pollTurnout(poll, trx),
          item?.state ?? null,
          input.actor.requestId ?? null
        )
      )
      return poll
    })
  }
}

/** DELETE /api/polls/{id}: not while ongoing or counted with votes (audited); voting proposals released. */
export class DeletePoll {
  async execute(input: { poll: Poll; actor: Actor }) {
    await db.transaction(async (trx) => {
      const context = await lockedPoll(trx, input.poll.organisationId, input.poll.id)
      const { poll, item } = context
      if (poll.state === 'ongoing') {
        throw new DomainError(
          'poll.ongoing',
          'An ongoing poll cannot be deleted; close or cancel it first'
        )
      }
      const proposals = await pollProposalIds(trx, poll)
      if (poll.state === 'upcoming') {
        const { default: SetProposalStates } =
          await import('#actions/proposals/set_proposal_states')
        await new SetProposalStates().execute({
          trx,
          organisationId: poll.organisationId,
          targets: proposals.map((proposal) => ({ proposal, state: 'published' as const })),
          actor: input.actor,
          releasingPollId: poll.id,
        })
      }
      await trx.from('poll_participations').where('poll_id', poll.id).delete()
      await trx.from('votes').where('poll_id', poll.id).delete()
      await poll.useTransaction(trx).delete()
      await recordAudit(trx, input.actor, {
        organisationId: poll.organisationId,
        meetingId: poll.meetingId,
        agendaItemId: poll.agendaItemId,
        action: 'delete',
        event: 'poll.deleted',
        model: 'Poll',
        objectId: poll.id,
        changes: { title: [poll.title, null], state: [poll.state, null] },
      })
      const data = { id: poll.id, rev: poll.rev + 1, meeting: poll.meetingId }
      const { channels } = await import('#realtime/channels')
      const messages = [
        { channel: channels.moderators(poll.meetingId), type: 'poll.deleted', data },
      ]
      if (poll.state !== 'private' && item?.state !== 'private') {
        messages.push({
          channel: channels.participants(poll.meetingId),
          type: 'poll.deleted',
          data,
        })
      }
      publishAfterCommit(trx, messages)
    })
  }
}
