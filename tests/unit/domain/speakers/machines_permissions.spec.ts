import { test } from '@japa/runner'
import {
  evaluateSpeakerListEvent,
  evaluateSpeakerSystemEvent,
  speakerListMachine,
  speakerSystemMachine,
  systemTransitionPatch,
  type SpeakerSystemState,
} from '#domain/speakers/state_machines'
import * as p from '#domain/speakers/permissions'
import { publishMachine } from '#domain/state_machines/machine'
import {
  normalizeMethodSettings,
  methodNeedsGenderTags,
  isSpeakerListMethodName,
} from '#domain/speakers/methods'
import {
  decideEnter,
  decideLeave,
  normalizeCategories,
  type UnfinishedTurn,
} from '#domain/speakers/queue_rules'
import type { MeetingState } from '#domain/meetings/state_machine'

const yes = () => true
const no = () => false

test.group('Speakers | speaker system state machine (domain §12.2)', () => {
  test('{event} from {from} → {result}')
    .with([
      { event: 'activate', from: 'inactive', speaking: false, result: 'active' },
      { event: 'activate', from: 'active', speaking: false, result: 'transition.unavailable' },
      { event: 'activate', from: 'archived', speaking: false, result: 'transition.unavailable' },
      { event: 'inactivate', from: 'active', speaking: false, result: 'inactive' },
      { event: 'inactivate', from: 'active', speaking: true, result: 'speaker.someone_speaking' },
      { event: 'inactivate', from: 'inactive', speaking: false, result: 'transition.unavailable' },
      { event: 'archive', from: 'active', speaking: false, result: 'transition.unavailable' },
      { event: 'nonsense', from: 'active', speaking: false, result: 'transition.unavailable' },
    ] as const)
    .run(({ assert }, row) => {
      const outcome = evaluateSpeakerSystemEvent(
        row.from,
        row.event,
        { someoneSpeaking: row.speaking },
        yes
      )
      assert.equal(outcome.ok ? outcome.to : outcome.code, row.result)
    })

  test('inactivate while speaking answers the message of scenario S39', ({ assert }) => {
    const outcome = evaluateSpeakerSystemEvent(
      'active',
      'inactivate',
      { someoneSpeaking: true },
      yes
    )
    assert.isFalse(outcome.ok)
    if (!outcome.ok) assert.equal(outcome.message, 'Deactivate active speaker first')
  })

  test('archive is internal: allowed with force from {from}')
    .with(['active', 'inactive'] as SpeakerSystemState[])
    .run(({ assert }, from) => {
      const outcome = evaluateSpeakerSystemEvent(
        from,
        'archive',
        { someoneSpeaking: true },
        no,
        true
      )
      assert.isTrue(outcome.ok)
      assert.deepEqual(systemTransitionPatch('archive', 'archived'), {
        state: 'archived',
        clearActiveList: true,
      })
    })

  test('permission is checked before the state (403 before 422)', ({ assert }) => {
    const outcome = evaluateSpeakerSystemEvent('active', 'activate', { someoneSpeaking: false }, no)
    assert.isFalse(outcome.ok)
    if (!outcome.ok) assert.equal(outcome.status, 403)
  })

  test('inactivate clears the active list; activate does not', ({ assert }) => {
    assert.isTrue(systemTransitionPatch('inactivate', 'inactive').clearActiveList)
    assert.isFalse(systemTransitionPatch('activate', 'active').clearActiveList)
  })

  test('machines are published with states, initial and final states', ({ assert }) => {
    const system = publishMachine(speakerSystemMachine)
    assert.deepEqual(system.states, ['active', 'inactive', 'archived'])
    assert.equal(system.initial, 'active')
    assert.deepEqual(system.final, ['archived'])
    assert.isTrue(system.events.find((e) => e.name === 'archive')!.internal)
    const list = publishMachine(speakerListMachine)
    assert.equal(list.name, 'SpeakerList')
    assert.equal(list.initial, 'open')
  })
})

test.group('Speakers | speaker list open/closed (domain §12.3)', () => {
  test('{event} from {from} → {result}')
    .with([
      { event: 'close', from: 'open', result: 'closed' },
      { event: 'open', from: 'closed', result: 'open' },
      { event: 'close', from: 'closed', result: 'transition.unavailable' },
      { event: 'open', from: 'open', result: 'transition.unavailable' },
    ] as const)
    .run(({ assert }, row) => {
      const outcome = evaluateSpeakerListEvent(row.from, row.event, yes)
      assert.equal(outcome.ok ? outcome.to : outcome.code, row.result)
    })

  test('a forced close skips the permission', ({ assert }) => {
    assert.isTrue(evaluateSpeakerListEvent('open', 'close', no, true).ok)
    assert.isFalse(evaluateSpeakerListEvent('open', 'close', no).ok)
  })
})

/**
 * Role × action matrix (domain §4.2, §12.5, §13). Actors: participant (pa),
 * discusser (pa, di; qualifies through meeting_roles_to_speaker), speaker and
 * list moderator (system roles, with pa), moderator (pa, mo), outsider (none).
 */
const actors = {
  outsider: { meetingRoles: [], systemRoles: [] },
  participant: { meetingRoles: ['pa'], systemRoles: [] },
  discusser: { meetingRoles: ['pa', 'di'], systemRoles: [] },
  speaker: { meetingRoles: ['pa'], systemRoles: ['speaker'] },
  list_moderator: { meetingRoles: ['pa'], systemRoles: ['list_moderator'] },
  moderator: { meetingRoles: ['pa', 'mo'], systemRoles: [] },
} satisfies Record<string, p.SpeakerActor>
type ActorName = keyof typeof actors

const system = (overrides: Partial<p.SystemFacts> = {}): p.SystemFacts => ({
  meetingState: 'ongoing',
  systemState: 'active',
  meetingRolesToSpeaker: ['di'],
  activeListId: 7,
  ...overrides,
})
const openList: p.ListFacts = { id: 7, state: 'open', callerSpeaking: false }

const matrix: Array<{
  action: string
  check: (actor: p.SpeakerActor) => boolean
  allowed: ActorName[]
}> = [
  {
    action: 'view speakers / roles',
    check: (a) => p.canViewSpeakers(a),
    allowed: ['participant', 'discusser', 'speaker', 'list_moderator', 'moderator'],
  },
  { action: 'add system', check: (a) => p.canAddSystem(a, 'ongoing'), allowed: ['moderator'] },
  { action: 'change system', check: (a) => p.canChangeSystem(a, system()), allowed: ['moderator'] },
  {
    action: 'set active list',
    check: (a) => p.canSetActiveList(a, system()),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'activate / inactivate',
    check: (a) => p.canChangeSystemState(a, system()),
    allowed: ['moderator'],
  },
  {
    action: 'delete system (no active list)',
    check: (a) => p.canDeleteSystem(a, system({ activeListId: null })),
    allowed: ['moderator'],
  },
  {
    action: 'change system roles',
    check: (a) => p.canChangeSystemRoles(a, system()),
    allowed: ['moderator'],
  },
  {
    action: 'add / change list',
    check: (a) => p.canChangeList(a, system()),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'delete list',
    check: (a) => p.canDeleteList(a, system()),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'enter list',
    check: (a) => p.canEnterList(a, system(), openList),
    allowed: ['discusser', 'speaker', 'list_moderator', 'moderator'],
  },
  {
    action: 'point of order on a closed list',
    check: (a) =>
      p.canRaisePointOfOrder(
        a,
        { ...system(), pointOfOrderWhenClosed: true },
        { ...openList, state: 'closed' }
      ),
    allowed: ['discusser', 'speaker', 'list_moderator', 'moderator'],
  },
  {
    action: 'shuffle',
    check: (a) => p.canShuffleList(a, system()),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'add speaker',
    check: (a) => p.canAddSpeaker(a, system()),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'stop / undo / pause / change speaker',
    check: (a) => p.canChangeSpeaker(a, system()),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'start speaker on the active list',
    check: (a) => p.canStartSpeaker(a, system(), 7),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'export speakers',
    check: (a) => p.canExportSpeakers(a),
    allowed: ['list_moderator', 'moderator'],
  },
  {
    action: 'view room',
    check: (a) => p.canViewRoom(a),
    allowed: ['participant', 'discusser', 'speaker', 'list_moderator', 'moderator'],
  },
  {
    action: 'add / change / handle room',
    check: (a) => p.canChangeRoom(a, 'ongoing'),
    allowed: ['moderator'],
  },
  {
    action: 'handle room speaker',
    check: (a) => p.canHandleRoomSpeaker(a, 'ongoing'),
    allowed: ['list_moderator', 'moderator'],
  },
]

test.group('Speakers | role × action matrix (domain §4.2, §12.5, §13)', () => {
  for (const row of matrix) {
    for (const name of Object.keys(actors) as ActorName[]) {
      const expected = row.allowed.includes(name)
      test(`${row.action}: ${name} → ${expected ? 'allowed' : 'denied'}`, ({ assert }) => {
        assert.equal(row.check(actors[name]), expected)
      })
    }
  }
})

test.group('Speakers | state conditions of the predicates (domain §12.5)', () => {
  const mo = actors.moderator
  const lm = actors.list_moderator
  const di = actors.discusser

  test('meeting state {state}: add system {add}, enter {enter}, change room {room}')
    .with([
      { state: 'upcoming', add: true, enter: true, room: true },
      { state: 'ongoing', add: true, enter: true, room: true },
      { state: 'closed', add: false, enter: false, room: true },
      { state: 'archiving', add: false, enter: false, room: false },
      { state: 'archived', add: false, enter: false, room: false },
    ] as Array<{ state: MeetingState; add: boolean; enter: boolean; room: boolean }>)
    .run(({ assert }, row) => {
      assert.equal(p.canAddSystem(mo, row.state), row.add)
      assert.equal(p.canEnterList(di, system({ meetingState: row.state }), openList), row.enter)
      assert.equal(p.canChangeRoom(mo, row.state), row.room)
      assert.equal(p.canHandleRoomSpeaker(lm, row.state), row.room)
    })

  test('archived systems refuse every change', ({ assert }) => {
    const archived = system({ systemState: 'archived', activeListId: null })
    assert.isFalse(p.canChangeSystem(mo, archived))
    assert.isFalse(p.canSetActiveList(lm, archived))
    assert.isFalse(p.canDeleteSystem(mo, archived))
    assert.isFalse(p.canChangeSystemRoles(mo, archived))
    assert.isFalse(p.canDeleteList(mo, archived))
    assert.isFalse(p.canChangeSpeaker(mo, archived))
    assert.isFalse(p.canAddSpeaker(mo, archived))
  })

  test('inactive systems refuse entering and adding speakers but allow changes', ({ assert }) => {
    const inactive = system({ systemState: 'inactive' })
    assert.isFalse(p.canEnterList(di, inactive, openList))
    assert.isFalse(p.canAddSpeaker(mo, inactive))
    assert.isTrue(p.canChangeSpeaker(mo, inactive))
    assert.isTrue(p.canChangeSystem(mo, inactive))
  })

  test('a system with an active list cannot be deleted', ({ assert }) => {
    assert.isFalse(p.canDeleteSystem(mo, system({ activeListId: 3 })))
    assert.isTrue(p.canDeleteSystem(mo, system({ activeListId: null })))
  })

  test('start requires the turn to be on the active list', ({ assert }) => {
    assert.isFalse(p.canStartSpeaker(mo, system({ activeListId: 8 }), 7))
    assert.isFalse(p.canStartSpeaker(mo, system({ activeListId: null }), 7))
  })

  test('enter: closed list, speaking caller, unqualified participant', ({ assert }) => {
    assert.isFalse(p.canEnterList(di, system(), { ...openList, state: 'closed' }))
    assert.isFalse(p.canEnterList(di, system(), { ...openList, callerSpeaking: true }))
    assert.isFalse(p.canEnterList(actors.participant, system(), openList))
    assert.isTrue(
      p.canEnterList(actors.participant, system({ meetingRolesToSpeaker: ['pa'] }), openList)
    )
  })

  test('point of order on a closed list needs point_of_order_when_closed', ({ assert }) => {
    const closed = { ...openList, state: 'closed' as const }
    assert.isFalse(
      p.canRaisePointOfOrder(di, { ...system(), pointOfOrderWhenClosed: false }, closed)
    )
    assert.isTrue(
      p.canRaisePointOfOrder(di, { ...system(), pointOfOrderWhenClosed: false }, openList)
    )
    assert.isFalse(
      p.canRaisePointOfOrder(
        di,
        { ...system({ systemState: 'inactive' }), pointOfOrderWhenClosed: true },
        closed
      )
    )
  })

  test('machine permission names map to predicates', ({ assert }) => {
    assert.isTrue(p.speakerPermission('speaker_list_system.change_state', mo, system()))
    assert.isFalse(p.speakerPermission('speaker_list_system.change_state', lm, system()))
    assert.isTrue(p.speakerPermission('speaker_list.change', lm, system()))
    assert.isFalse(
      p.speakerPermission('speaker_list.change', lm, system({ meetingState: 'closed' }))
    )
    assert.isFalse(p.speakerPermission('unknown', mo, system()))
  })
})

test.group('Speakers | method settings (domain §12.1: unknown keys dropped)', () => {
  test('{method} {raw} → {expected}')
    .with([
      { method: 'simple', raw: { max_times: 3, x: 1 }, expected: {} },
      { method: 'priority', raw: null, expected: { max_times: 0 } },
      { method: 'priority', raw: { max_times: 2, junk: true }, expected: { max_times: 2 } },
      { method: 'priority', raw: { max_times: -1 }, expected: 'settings.max_times' },
      { method: 'priority', raw: { max_times: 1.5 }, expected: 'settings.max_times' },
      { method: 'gender_prio', raw: {}, expected: { max_times: 0, priority_genders: ['f', 'nb'] } },
      {
        method: 'gender_prio',
        raw: { priority_genders: ['x', 'x'] },
        expected: { max_times: 0, priority_genders: ['x'] },
      },
      {
        method: 'gender_prio',
        raw: { priority_genders: ['Bad Tag'] },
        expected: 'settings.priority_genders',
      },
      {
        method: 'gender_prio',
        raw: { priority_genders: 'f' },
        expected: 'settings.priority_genders',
      },
      { method: 'time_fair', raw: undefined, expected: { scope: 'list' } },
      { method: 'time_fair', raw: { scope: 'meeting' }, expected: { scope: 'meeting' } },
      { method: 'time_fair', raw: { scope: 'year' }, expected: 'settings.scope' },
    ] as const)
    .run(({ assert }, row) => {
      const result = normalizeMethodSettings(row.method, row.raw)
      if (typeof row.expected === 'string') {
        assert.isFalse(result.ok)
        if (!result.ok) assert.equal(result.problems[0].field, row.expected)
      } else {
        assert.deepEqual(result, { ok: true, settings: row.expected as any })
      }
    })

  test('method names and the gender component', ({ assert }) => {
    assert.isTrue(isSpeakerListMethodName('time_fair'))
    assert.isFalse(isSpeakerListMethodName('random'))
    assert.isTrue(methodNeedsGenderTags('gender_prio'))
    assert.isFalse(methodNeedsGenderTags('priority'))
  })
})

test.group('Speakers | entering and leaving (domain §12.6, api.md §11.4)', () => {
  const turns: UnfinishedTurn[] = [
    { turnId: 1, userId: 10, kind: 'speech', speaking: false },
    { turnId: 2, userId: 11, kind: 'speech', speaking: true },
    { turnId: 3, userId: 12, kind: 'point_of_order', speaking: false },
  ]
  const categories = ['procedure', 'information']

  test('entering again is idempotent per kind', ({ assert }) => {
    assert.deepEqual(decideEnter(turns, 10, 'speech', null, categories), {
      kind: 'existing',
      turnId: 1,
    })
    assert.deepEqual(decideEnter(turns, 10, 'point_of_order', 'procedure', categories), {
      kind: 'create',
    })
    assert.deepEqual(decideEnter(turns, 12, 'point_of_order', null, categories), {
      kind: 'existing',
      turnId: 3,
    })
    assert.deepEqual(decideEnter(turns, 13, 'speech', null, categories), { kind: 'create' })
  })

  test('categories are checked', ({ assert }) => {
    assert.throws(
      () => decideEnter(turns, 13, 'point_of_order', 'gossip', categories),
      /must be one of/
    )
    assert.throws(
      () => decideEnter(turns, 13, 'speech', 'procedure', categories),
      /only given for points of order/
    )
  })

  test('leave: 404 when not queued, 422 while speaking', ({ assert }) => {
    assert.equal(decideLeave(turns, 10, 'speech'), 1)
    assert.throws(() => decideLeave(turns, 13, 'speech'), 'You are not in this queue')
    assert.throws(() => decideLeave(turns, 10, 'point_of_order'), 'You are not in this queue')
    assert.throws(() => decideLeave(turns, 11, 'speech'), /while you are speaking/)
  })

  test('point-of-order categories', ({ assert }) => {
    assert.deepEqual(normalizeCategories(undefined), ['procedure', 'information'])
    assert.deepEqual(normalizeCategories(['a', 'a', 'b-c']), ['a', 'b-c'])
    assert.deepEqual(normalizeCategories([]), [])
    assert.throws(() => normalizeCategories(['Bad One']), /slugs/)
    assert.throws(() => normalizeCategories('procedure'), /at most 10/)
  })
})
