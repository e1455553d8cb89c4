import { randomInt } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import SpeakerList from '#models/speaker_list'
import SpeakerListSystem from '#models/speaker_list_system'
import Speaker from '#models/speaker'
import { notFound } from '#domain/errors'
import { orderChanged, reorder, shuffleQueue } from '#domain/speakers/ordering'
import type { OrderingFacts, QueueEntry, RandInt } from '#domain/speakers/types'
import type { TimeFairSettings } from '#domain/speakers/methods'
import { recordAudit, type Actor, type AuditRecord } from '#services/audit_log'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import {
  listMessages,
  turnMessages,
  speakerStartedAnnouncement,
} from '#transformers/speaker_transformer'

/**
 * The one place where a speaker list changes (domain §12.4, §12.6): a list
 * operation locks the list row, loads its open turns, lets the caller change
 * turns, re-runs the ordering algorithm, saves, audits and publishes
 * `speaker.changed` for each touched turn, then `speaker_list.changed`
 * (api.md §8.3 "Start speaker while another speaks").
 */

/** Where `gender_prio` reads the `gen` participant tags (the participant-tags module registers it). */
type GenderSource = (
  trx: TransactionClientContract,
  meetingId: number,
  userIds: number[]
) => Promise<Map<number, string[]>>
let genderSource: GenderSource = async () => new Map()
export function registerGenderTagSource(source: GenderSource) {
  genderSource = source
}

export const toEntry = (turn: Speaker): QueueEntry => ({
  turnId: turn.id,
  userId: turn.userId,
  kind: turn.kind,
  category: turn.category,
  created: turn.createdMs,
  speaking: turn.isSpeaking,
})

export async function openTurnsOf(
  list: SpeakerList,
  trx?: TransactionClientContract
): Promise<Speaker[]> {
  const query = Speaker.forOrganisation(list.organisationId)
    .where('speaker_list_id', list.id)
    .whereNull('seconds')
    .orderBy('id')
  if (trx) query.useTransaction(trx)
  return query
}

/** Statistics for the list methods: finished speeches on the list; seconds in the time_fair scope. */
export async function orderingFactsFor(
  trx: TransactionClientContract,
  system: SpeakerListSystem,
  list: SpeakerList,
  userIds: number[]
): Promise<OrderingFacts> {
  const finishedTurns = new Map<number, number>()
  const secondsSpoken = new Map<number, number>()
  if (userIds.length === 0) return { finishedTurns, secondsSpoken, genders: new Map() }
  const onList = await Speaker.forOrganisation(list.organisationId)
    .where('speaker_list_id', list.id)
    .where('kind', 'speech')
    .whereNotNull('seconds')
    .whereIn('user_id', userIds)
    .useTransaction(trx)
  for (const turn of onList)
    finishedTurns.set(turn.userId, (finishedTurns.get(turn.userId) ?? 0) + 1)

  if (system.methodName === 'time_fair') {
    const scope = (system.settings as TimeFairSettings).scope ?? 'list'
    const query = Speaker.forOrganisation(list.organisationId)
      .where('speakers.kind', 'speech')
      .whereNotNull('speakers.seconds')
      .whereIn('speakers.user_id', userIds)
      .useTransaction(trx)
    if (scope === 'meeting') query.where('speakers.meeting_id', list.meetingId)
    else if (scope === 'agenda_item' && list.agendaItemId !== null) {
      query
        .join('speaker_lists', 'speaker_lists.id', 'speakers.speaker_list_id')
        .where('speaker_lists.agenda_item_id', list.agendaItemId)
        .select('speakers.*')
    } else query.where('speakers.speaker_list_id', list.id)
    for (const turn of await query) {
      secondsSpoken.set(turn.userId, (secondsSpoken.get(turn.userId) ?? 0) + (turn.seconds ?? 0))
    }
  }
  const genders =
    system.methodName === 'gender_prio'
      ? await genderSource(trx, list.meetingId, userIds)
      : new Map()
  return { finishedTurns, secondsSpoken, genders }
}

/** Runs the ordering algorithm; saves the order when it changed. `shuffle` randomises first. */
export async function reorderList(
  trx: TransactionClientContract,
  system: SpeakerListSystem,
  list: SpeakerList,
  turns: readonly Speaker[],
  options: { shuffle?: RandInt } = {}
): Promise<boolean> {
  const entries = turns.map(toEntry)
  const facts = await orderingFactsFor(trx, system, list, [
    ...new Set(entries.map((entry) => entry.userId)),
  ])
  const input = {
    entries,
    safePositions: system.safePositions,
    method: system.methodName,
    settings: system.settings,
    facts,
  }
  const next = options.shuffle
    ? shuffleQueue({ ...input, order: list.order, randInt: options.shuffle })
    : reorder({ ...input, previousOrder: list.order })
  if (!orderChanged(list.order, next)) return false
  list.order = next
  return true
}

export const cryptoRandInt: RandInt = (k) => randomInt(k)

export interface ListScope {
  trx: TransactionClientContract
  meeting: Meeting
  system: SpeakerListSystem
  list: SpeakerList
  /** Open (queued or speaking) turns, locked with the list. */
  turns: Speaker[]
  now: number
  actor: Actor
}

export interface ListOutcome<T> {
  result: T
  /** Turns whose representation changed, in publication order. */
  changed?: Speaker[]
  deleted?: Speaker[]
  audit?: Omit<AuditRecord, 'organisationId' | 'meetingId' | 'agendaItemId'>[]
  /** The list row itself changed (title, state): bump rev even when the order did not change. */
  listChanged?: boolean
  /** The turn that started speaking (announced to assistive technology). */
  started?: Speaker
  shuffle?: RandInt
}

/** Locks the list (and reads its system and meeting) for one change. */
export async function runListOperation<T>(
  organisationId: number,
  listId: number,
  actor: Actor,
  operation: (scope: ListScope) => Promise<ListOutcome<T>>,
  outerTrx?: TransactionClientContract
): Promise<T> {
  const run = async (trx: TransactionClientContract) => {
    const list = await SpeakerList.forOrganisation(organisationId)
      .where('id', listId)
      .useTransaction(trx)
      .forUpdate()
      .first()
    if (!list) throw notFound('No such speaker list')
    const system = await SpeakerListSystem.forOrganisation(organisationId)
      .where('id', list.speakerSystemId)
      .useTransaction(trx)
      .firstOrFail()
    const meeting = await Meeting.forOrganisation(organisationId)
      .where('id', list.meetingId)
      .useTransaction(trx)
      .firstOrFail()
    const turns = await openTurnsOf(list, trx)
    const now = Date.now()
    const outcome = await operation({ trx, meeting, system, list, turns, now, actor })

    const deletedIds = new Set((outcome.deleted ?? []).map((turn) => turn.id))
    const changedIds = new Set((outcome.changed ?? []).map((turn) => turn.id))
    // Turns that were finished or deleted leave the queue; new turns join it.
    const open = [
      ...turns.filter((turn) => !deletedIds.has(turn.id) && turn.seconds === null),
      ...(outcome.changed ?? []).filter(
        (turn) =>
          turn.seconds === null && !deletedIds.has(turn.id) && !turns.some((t) => t.id === turn.id)
      ),
    ]
    const orderMoved = await reorderList(trx, system, list, open, { shuffle: outcome.shuffle })
    if (orderMoved || outcome.listChanged) {
      list.rev += 1
      await list.useTransaction(trx).save()
    }
    for (const record of outcome.audit ?? []) {
      await recordAudit(trx, actor, {
        ...record,
        organisationId,
        meetingId: list.meetingId,
        agendaItemId: list.agendaItemId,
      })
    }
    const rid = actor.requestId ?? null
    const messages: OutgoingMessage[] = []
    for (const turn of outcome.deleted ?? [])
      messages.push(...turnMessages(system, list, turn, now, rid, true))
    for (const turn of outcome.changed ?? []) {
      if (deletedIds.has(turn.id)) continue
      const announce =
        turn === outcome.started ? speakerStartedAnnouncement(system, list, turn) : undefined
      messages.push(...turnMessages(system, list, turn, now, rid, false, announce))
    }
    if (orderMoved || outcome.listChanged || changedIds.size > 0 || deletedIds.size > 0) {
      messages.push(...listMessages(system, list, open, rid))
    }
    publishAfterCommit(trx, messages)
    return outcome.result
  }
  return outerTrx ? run(outerTrx) : db.transaction(run)
}

/**
 * Turns currently speaking on a list, a system, an agenda item or a meeting.
 * A plain query builder so that any client (transaction or connection) works;
 * scoped by organisation when the caller knows it.
 */
export async function countSpeakingTurns(
  client: QueryClientContract | undefined,
  organisationId: number | null,
  scope: { listId?: number; systemId?: number; meetingId?: number; agendaItemId?: number }
): Promise<number> {
  const query = (client ?? db.connection())
    .from('speakers')
    .whereNotNull('speakers.started_ms')
    .whereNull('speakers.seconds')
  if (organisationId !== null) query.where('speakers.organisation_id', organisationId)
  if (scope.listId !== undefined) query.where('speakers.speaker_list_id', scope.listId)
  if (scope.meetingId !== undefined) query.where('speakers.meeting_id', scope.meetingId)
  if (scope.systemId !== undefined || scope.agendaItemId !== undefined) {
    query.join('speaker_lists', 'speaker_lists.id', 'speakers.speaker_list_id')
    if (scope.systemId !== undefined) query.where('speaker_lists.speaker_system_id', scope.systemId)
    if (scope.agendaItemId !== undefined)
      query.where('speaker_lists.agenda_item_id', scope.agendaItemId)
  }
  const row = await query.count('* as total').first()
  return Number(row?.total ?? 0)
}
