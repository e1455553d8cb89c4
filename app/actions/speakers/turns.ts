import Speaker from '#models/speaker'
import User from '#models/user'
import MeetingRole from '#models/meeting_role'
import GroupMembership from '#models/group_membership'
import SpeakerTimeBudget from '#models/speaker_time_budget'
import { DomainError, fieldError, notFound } from '#domain/errors'
import { decideEnter, decideLeave } from '#domain/speakers/queue_rules'
import { nextInOrder } from '#domain/speakers/ordering'
import {
  clampSeconds,
  extendClock,
  finishedSeconds,
  limitForKind,
  pauseClock,
  resumeClock,
  startClock,
} from '#domain/speakers/timers'
import { budgetStatus, exhaustedGroupsOf } from '#domain/speakers/budgets'
import { isQualifiedSpeaker } from '#domain/speakers/permissions'
import type { TurnKind } from '#domain/speakers/types'
import type { Actor } from '#services/audit_log'
import {
  toEntry,
  cryptoRandInt,
  runListOperation,
  type ListOutcome,
  type ListScope,
} from '#services/speaker_queue'
import { systemFacts, systemRolesOf } from '#services/speaker_facts'
import type { RandInt } from '#domain/speakers/types'

/**
 * Speaker turn operations (domain §12.6, api.md §6.15, §11.4). Each class is
 * one state change run through `runListOperation` (list row locked, reorder,
 * audit, realtime after commit). Permission checks happen in the controllers
 * (policies); these classes enforce the business rules (422).
 */

type TurnAudit = NonNullable<ListOutcome<unknown>['audit']>[number]

function audit(
  event: string,
  turn: Speaker,
  changes: Record<string, [unknown, unknown]>,
  action: 'create' | 'update' | 'delete' = 'update'
): TurnAudit {
  return {
    action,
    event,
    model: 'Speaker',
    objectId: turn.id,
    changes: { user: [turn.userId, turn.userId], ...changes },
  }
}

type Entered = { turn: Speaker; created: boolean }

function openTurn(scope: ListScope, turnId: number): Speaker {
  const turn = scope.turns.find((candidate) => candidate.id === turnId)
  if (!turn) throw new DomainError('speaker.not_queued', 'The turn is not in the queue')
  return turn
}

async function createTurn(
  scope: ListScope,
  userId: number,
  kind: TurnKind,
  category: string | null
) {
  const categories = scope.system.pointOfOrderCategories ?? []
  const decision = decideEnter(
    scope.turns.map((turn) => ({
      turnId: turn.id,
      userId: turn.userId,
      kind: turn.kind,
      speaking: turn.isSpeaking,
    })),
    userId,
    kind,
    category,
    categories
  )
  if (decision.kind === 'existing') {
    return { turn: scope.turns.find((turn) => turn.id === decision.turnId)!, created: false }
  }
  if (kind === 'speech' && scope.list.state !== 'open') {
    throw new DomainError('speaker_list.closed', 'The speaker list is closed')
  }
  if (
    kind === 'point_of_order' &&
    scope.list.state !== 'open' &&
    !scope.system.pointOfOrderWhenClosed
  ) {
    throw new DomainError('speaker_list.closed', 'The speaker list is closed')
  }
  const turn = await Speaker.create(
    {
      organisationId: scope.list.organisationId,
      meetingId: scope.list.meetingId,
      speakerListId: scope.list.id,
      userId,
      kind,
      category: kind === 'point_of_order' ? category : null,
      createdMs: scope.now,
      startedMs: null,
      runningSinceMs: null,
      pausedAtMs: null,
      accumulatedMs: 0,
      timeLimit: null,
      seconds: null,
      note: '',
      rev: 1,
    },
    { client: scope.trx }
  )
  return { turn, created: true }
}

export interface EnterInput {
  organisationId: number
  listId: number
  userId: number
  kind: TurnKind
  category: string | null
  actor: Actor
}

/** The caller queues themselves (idempotent: `created` false when already queued). */
export class EnterSpeakerList {
  async execute(input: EnterInput) {
    return runListOperation<Entered>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        const { turn, created } = await createTurn(scope, input.userId, input.kind, input.category)
        if (!created) return { result: { turn, created } }
        return {
          result: { turn, created },
          changed: [turn],
          audit: [
            audit(
              'speaker.entered',
              turn,
              { kind: [null, turn.kind], category: [null, turn.category] },
              'create'
            ),
          ],
        }
      }
    )
  }
}

/** The caller leaves the queue: 404 when not queued, 422 while speaking. */
export class LeaveSpeakerList {
  async execute(input: {
    organisationId: number
    listId: number
    userId: number
    kind: TurnKind
    actor: Actor
  }) {
    return runListOperation<null>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        const turnId = decideLeave(
          scope.turns.map((turn) => ({
            turnId: turn.id,
            userId: turn.userId,
            kind: turn.kind,
            speaking: turn.isSpeaking,
          })),
          input.userId,
          input.kind
        )
        const turn = openTurn(scope, turnId)
        await turn.useTransaction(scope.trx).delete()
        return {
          result: null,
          deleted: [turn],
          audit: [audit('speaker.left', turn, { kind: [turn.kind, null] }, 'delete')],
        }
      }
    )
  }
}

/**
 * A list moderator puts someone in a queue. The user must be a participant and
 * qualified as for enter, unless a meeting moderator overrides (domain §12.6).
 */
export class AddSpeaker {
  async execute(input: EnterInput & { override: boolean; callerIsModerator: boolean }) {
    return runListOperation<Entered>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        // Everything inside the transaction (one SQLite connection; consistent reads on PostgreSQL).
        const user = await User.forOrganisation(input.organisationId)
          .where('id', input.userId)
          .useTransaction(scope.trx)
          .first()
        const roleRow = user
          ? await MeetingRole.forOrganisation(input.organisationId)
              .where('meeting_id', scope.meeting.id)
              .where('user_id', user.id)
              .useTransaction(scope.trx)
              .first()
          : null
        if (!user || !roleRow)
          throw fieldError('user', 'The user is not a participant of this meeting', 'exists')
        const actor = {
          meetingRoles: roleRow.assigned,
          systemRoles: await systemRolesOf(user.id, scope.system, scope.trx),
        }
        if (!isQualifiedSpeaker(actor, systemFacts(scope.system, scope.meeting))) {
          if (!(input.override && input.callerIsModerator)) {
            throw new DomainError(
              'speaker.not_qualified',
              'The user may not speak in this system',
              {
                field: 'user',
                meta: { override_allowed: input.callerIsModerator },
              }
            )
          }
        }
        const { turn, created } = await createTurn(scope, user.id, input.kind, input.category)
        if (!created) return { result: { turn, created } }
        return {
          result: { turn, created },
          changed: [turn],
          audit: [
            audit(
              'speaker.added',
              turn,
              { kind: [null, turn.kind], category: [null, turn.category] },
              'create'
            ),
          ],
        }
      }
    )
  }
}

/** Budget check when the system enforces budgets (api.md §11.4). */
async function assertBudget(scope: ListScope, turn: Speaker) {
  if (!scope.system.enforceTimeBudgets || turn.kind !== 'speech') return
  const budgets = await SpeakerTimeBudget.forOrganisation(scope.system.organisationId)
    .where('speaker_system_id', scope.system.id)
    .useTransaction(scope.trx)
  if (budgets.length === 0) return
  const status = await systemBudgetStatus(scope, budgets)
  const exhausted = exhaustedGroupsOf(turn.userId, status.statuses, status.members)
  if (exhausted.length > 0) {
    throw new DomainError(
      'speaker.budget_exhausted',
      'The speaking-time budget of the speaker’s group is used up',
      {
        meta: { groups: exhausted.map((row) => row.group) },
      }
    )
  }
}

async function systemBudgetStatus(scope: ListScope, budgets: SpeakerTimeBudget[]) {
  const memberships = await GroupMembership.forOrganisation(scope.system.organisationId)
    .whereIn(
      'meeting_group_id',
      budgets.map((budget) => budget.meetingGroupId)
    )
    .useTransaction(scope.trx)
  const members = new Map<number, number[]>()
  for (const row of memberships)
    members.set(row.meetingGroupId, [...(members.get(row.meetingGroupId) ?? []), row.userId])
  const finished = await Speaker.forOrganisation(scope.system.organisationId)
    .join('speaker_lists', 'speaker_lists.id', 'speakers.speaker_list_id')
    .where('speaker_lists.speaker_system_id', scope.system.id)
    .whereNotNull('speakers.seconds')
    .select('speakers.*')
    .useTransaction(scope.trx)
  const statuses = budgetStatus({
    budgets: budgets.map((budget) => ({ groupId: budget.meetingGroupId, seconds: budget.seconds })),
    members,
    finished: finished.map((turn) => ({
      userId: turn.userId,
      seconds: turn.seconds ?? 0,
      kind: turn.kind,
    })),
    running: null,
    enforce: true,
  })
  return { statuses, members }
}

function stopTurn(turn: Speaker, now: number) {
  const seconds = finishedSeconds(turn.clock, now)
  turn.seconds = seconds
  turn.runningSinceMs = null
  turn.pausedAtMs = null
  turn.rev += 1
  return seconds
}

/** Starts a turn; any current speaker on the list is stopped first (domain §12.6), atomically. */
export class StartSpeaker {
  /** `turnId: 'next'` starts the first waiting turn in order (points of order first, api.md §11.4). */
  async execute(input: {
    organisationId: number
    listId: number
    turnId: number | 'next'
    actor: Actor
  }) {
    return runListOperation<Speaker>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        let turnId = input.turnId
        if (turnId === 'next') {
          const next = nextInOrder(scope.list.order, scope.turns.map(toEntry))
          if (!next) throw new DomainError('speaker.queue_empty', 'Nobody is waiting in this list')
          turnId = next.turnId
        }
        const turn = openTurn(scope, turnId)
        if (turn.isSpeaking)
          throw new DomainError('speaker.already_speaking', 'This turn has already started')
        await assertBudget(scope, turn)
        const changed: Speaker[] = []
        const records = []
        const current = scope.turns.find((candidate) => candidate.isSpeaking)
        if (current) {
          const seconds = stopTurn(current, scope.now)
          await current.useTransaction(scope.trx).save()
          changed.push(current)
          records.push(audit('speaker.stopped', current, { seconds: [null, seconds] }))
        }
        turn.startedMs = scope.now
        turn.applyClock(
          startClock(
            scope.now,
            limitForKind(turn.kind, {
              speechSeconds: scope.system.speechSeconds,
              pointOfOrderSeconds: scope.system.pointOfOrderSeconds,
            })
          )
        )
        turn.rev += 1
        await turn.useTransaction(scope.trx).save()
        changed.push(turn)
        records.push(
          audit('speaker.started', turn, { started: [null, new Date(scope.now).toISOString()] })
        )
        return { result: turn, changed, audit: records, started: turn }
      }
    )
  }
}

/** Records seconds and removes the user from the order. */
export class StopSpeaker {
  async execute(input: { organisationId: number; listId: number; turnId: number; actor: Actor }) {
    return runListOperation<Speaker>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        const turn = openTurn(scope, input.turnId)
        if (!turn.isSpeaking)
          throw new DomainError('speaker.not_speaking', 'This turn has not started')
        const seconds = stopTurn(turn, scope.now)
        await turn.useTransaction(scope.trx).save()
        return {
          result: turn,
          changed: [turn],
          audit: [audit('speaker.stopped', turn, { seconds: [null, seconds] })],
        }
      }
    )
  }
}

/** A started, unfinished turn goes back to the queue (its clock is reset). */
export class UndoSpeaker {
  async execute(input: { organisationId: number; listId: number; turnId: number; actor: Actor }) {
    return runListOperation<Speaker>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        const turn = openTurn(scope, input.turnId)
        if (!turn.isSpeaking)
          throw new DomainError('speaker.not_speaking', 'This turn has not started')
        const started = turn.startedMs
        turn.startedMs = null
        turn.applyClock({
          runningSince: null,
          pausedAt: null,
          accumulatedMs: 0,
          limitSeconds: null,
        })
        turn.rev += 1
        await turn.useTransaction(scope.trx).save()
        return {
          result: turn,
          changed: [turn],
          audit: [
            audit('speaker.undone', turn, { started: [new Date(started!).toISOString(), null] }),
          ],
        }
      }
    )
  }
}

export type TimerOperation = 'pause' | 'resume' | 'extend'

/** Pause, resume or extend the countdown of the current turn (beyond.md B-ADD-02). */
export class ChangeSpeakerTimer {
  async execute(input: {
    organisationId: number
    listId: number
    turnId: number
    operation: TimerOperation
    seconds?: number
    actor: Actor
  }) {
    return runListOperation<Speaker>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        const turn = openTurn(scope, input.turnId)
        if (!turn.isSpeaking)
          throw new DomainError('speaker.not_speaking', 'This turn has not started')
        const before = turn.clock
        const after =
          input.operation === 'pause'
            ? pauseClock(before, scope.now)
            : input.operation === 'resume'
              ? resumeClock(before, scope.now)
              : extendClock(before, input.seconds ?? 0, scope.now)
        turn.applyClock(after)
        turn.rev += 1
        await turn.useTransaction(scope.trx).save()
        const event = {
          pause: 'speaker.paused',
          resume: 'speaker.resumed',
          extend: 'speaker.extended',
        }[input.operation]
        return {
          result: turn,
          changed: [turn],
          audit: [
            audit(event, turn, {
              paused: [before.pausedAt !== null, after.pausedAt !== null],
              time_limit: [before.limitSeconds, after.limitSeconds],
            }),
          ],
        }
      }
    )
  }
}

/** Shuffle the queue (422 while someone speaks); randomness injectable for tests. */
export class ShuffleSpeakerList {
  async execute(input: {
    organisationId: number
    listId: number
    actor: Actor
    randInt?: RandInt
  }) {
    return runListOperation(input.organisationId, input.listId, input.actor, async (scope) => {
      if (scope.turns.some((turn) => turn.isSpeaking)) {
        throw new DomainError(
          'speaker.someone_speaking',
          'Cannot shuffle while someone is speaking'
        )
      }
      return {
        result: scope.list,
        shuffle: input.randInt ?? cryptoRandInt,
        listChanged: true,
        audit: [
          {
            action: 'update',
            event: 'speaker_list.shuffled',
            model: 'SpeakerList',
            objectId: scope.list.id,
            changes: {},
          },
        ],
      }
    })
  }
}

/** PATCH a finished turn (seconds, note): corrections of the history. */
export class UpdateSpeaker {
  async execute(input: {
    organisationId: number
    listId: number
    turnId: number
    seconds?: number
    note?: string
    actor: Actor
  }) {
    return runListOperation<Speaker>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        const turn = await Speaker.forOrganisation(input.organisationId)
          .where('id', input.turnId)
          .where('speaker_list_id', scope.list.id)
          .useTransaction(scope.trx)
          .forUpdate()
          .first()
        if (!turn) throw notFound('No such speaker')
        if (turn.seconds === null)
          throw new DomainError('speaker.not_finished', 'Only finished turns can be changed')
        const changes: Record<string, [unknown, unknown]> = {}
        if (input.seconds !== undefined && clampSeconds(input.seconds) !== turn.seconds) {
          changes.seconds = [turn.seconds, clampSeconds(input.seconds)]
          turn.seconds = clampSeconds(input.seconds)
        }
        if (input.note !== undefined && input.note !== turn.note) {
          changes.note = [turn.note, input.note]
          turn.note = input.note
        }
        if (Object.keys(changes).length === 0) return { result: turn }
        turn.rev += 1
        await turn.useTransaction(scope.trx).save()
        return { result: turn, changed: [turn], audit: [audit('speaker.updated', turn, changes)] }
      }
    )
  }
}

/** Removes a queued or current turn, or deletes a history entry. */
export class DeleteSpeaker {
  async execute(input: { organisationId: number; listId: number; turnId: number; actor: Actor }) {
    return runListOperation<null>(
      input.organisationId,
      input.listId,
      input.actor,
      async (scope) => {
        const turn = await Speaker.forOrganisation(input.organisationId)
          .where('id', input.turnId)
          .where('speaker_list_id', scope.list.id)
          .useTransaction(scope.trx)
          .first()
        if (!turn) throw notFound('No such speaker')
        const open = scope.turns.find((candidate) => candidate.id === turn.id)
        await (open ?? turn).useTransaction(scope.trx).delete()
        return {
          result: null,
          deleted: [open ?? turn],
          audit: [
            audit(
              'speaker.deleted',
              turn,
              { seconds: [turn.seconds, null], kind: [turn.kind, null] },
              'delete'
            ),
          ],
        }
      }
    )
  }
}
