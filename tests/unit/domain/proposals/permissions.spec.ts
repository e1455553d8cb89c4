import { test } from '@japa/runner'
import {
  canAddDiscussionPost,
  canAddProposal,
  canChangeProposal,
  canDeleteProposal,
  canListReactions,
  canReact,
  canRetractProposal,
  type ProposalFacts,
} from '#domain/permissions/proposals'
import type { MeetingActor, MeetingFacts } from '#domain/permissions/meeting'
import type { AgendaItemState } from '#domain/agenda/state_machine'
import type { MeetingState } from '#domain/meetings/state_machine'
import type { MeetingRoleCode } from '#domain/permissions/roles'

const meeting = (state: MeetingState = 'ongoing'): MeetingFacts => ({
  id: 1,
  organisationId: 1,
  state,
  public: false,
  visibleInLists: false,
})
const actor = (...roles: MeetingRoleCode[]): MeetingActor => ({
  userId: 7,
  organisationId: 1,
  isSuperuser: false,
  organisationRoles: [],
  meetingRoles: roles,
})
const item = (
  state: AgendaItemState,
  flags: { blockProposals?: boolean; blockDiscussion?: boolean } = {}
) => ({
  state,
  blockProposals: flags.blockProposals ?? false,
  blockDiscussion: flags.blockDiscussion ?? false,
})
const states: AgendaItemState[] = ['private', 'upcoming', 'ongoing', 'closed', 'archived']
const on = (allowed: AgendaItemState[]) =>
  Object.fromEntries(states.map((s) => [s, allowed.includes(s)]))

/** Item state × role tables of domain §9.5 and §14.1 (the HTTP matrix covers roles in an ongoing item). */
test.group('Permissions | proposals and posts by agenda item state', () => {
  test('proposal.add', ({ assert }) => {
    const check = (who: MeetingActor, flags = {}) =>
      Object.fromEntries(states.map((s) => [s, canAddProposal(who, meeting(), item(s, flags))]))
    assert.deepEqual(check(actor('pa', 'mo')), on(['private', 'upcoming', 'ongoing']))
    assert.deepEqual(
      check(actor('pa', 'mo'), { blockProposals: true }),
      on(['private', 'upcoming', 'ongoing'])
    )
    assert.deepEqual(check(actor('pa', 'pr')), on(['upcoming', 'ongoing']))
    assert.deepEqual(check(actor('pa', 'pr'), { blockProposals: true }), on([]))
    assert.deepEqual(check(actor('pa', 'di')), on([]))
  })

  test('proposal.change (D25: closed items too) and delete', ({ assert }) => {
    const change = Object.fromEntries(
      states.map((s) => [s, canChangeProposal(actor('pa', 'mo'), meeting(), item(s))])
    )
    assert.deepEqual(change, on(['private', 'upcoming', 'ongoing', 'closed']))
    assert.isFalse(canChangeProposal(actor('pa', 'mo'), meeting('archived'), item('closed')))
    const del = Object.fromEntries(
      states.map((s) => [
        s,
        canDeleteProposal(actor('pa', 'mo'), meeting(), item(s), { usedInPoll: false }),
      ])
    )
    assert.deepEqual(del, on(['private', 'upcoming', 'ongoing']))
    assert.isFalse(
      canDeleteProposal(actor('pa', 'mo'), meeting(), item('ongoing'), { usedInPoll: true })
    )
  })

  test('proposal.retract: author or group member with pr, published, item active, not blocked', ({
    assert,
  }) => {
    const own: ProposalFacts = {
      state: 'published',
      authorId: 7,
      callerInGroup: false,
      usedInPoll: false,
    }
    const check = (who: MeetingActor, proposal = own, flags = {}) =>
      Object.fromEntries(
        states.map((s) => [s, canRetractProposal(who, meeting(), item(s, flags), proposal)])
      )
    assert.deepEqual(check(actor('pa', 'pr')), on(['upcoming', 'ongoing']))
    assert.deepEqual(
      check(actor('pa', 'pr'), { ...own, authorId: 8, callerInGroup: true }),
      on(['upcoming', 'ongoing'])
    )
    assert.deepEqual(check(actor('pa', 'pr'), { ...own, authorId: 8 }), on([]))
    assert.deepEqual(check(actor('pa'), own), on([]))
    assert.deepEqual(check(actor('pa', 'pr'), { ...own, state: 'voting' }), on([]))
    assert.deepEqual(check(actor('pa', 'pr'), own, { blockProposals: true }), on([]))
    assert.deepEqual(
      check(actor('pa', 'mo'), { ...own, authorId: 8 }),
      on(['private', 'upcoming', 'ongoing'])
    )
    assert.isFalse(
      canRetractProposal(actor('pa', 'mo'), meeting('archived'), item('archived'), own)
    )
  })

  test('discussion_post.add', ({ assert }) => {
    const check = (who: MeetingActor, flags = {}) =>
      Object.fromEntries(
        states.map((s) => [s, canAddDiscussionPost(who, meeting(), item(s, flags))])
      )
    assert.deepEqual(
      check(actor('pa', 'mo'), { blockDiscussion: true }),
      on(['private', 'upcoming', 'ongoing', 'closed'])
    )
    assert.deepEqual(check(actor('pa', 'di')), on(['upcoming', 'ongoing', 'closed']))
    assert.deepEqual(check(actor('pa', 'di'), { blockDiscussion: true }), on([]))
    assert.deepEqual(check(actor('pa', 'pr')), on([]))
  })

  test('reactions need an active meeting and an active button; flag buttons only for moderators', ({
    assert,
  }) => {
    const button = { active: true, flagMode: false, changeRoles: ['pa'], listRoles: ['mo'] }
    assert.isTrue(canReact(actor('pa'), meeting(), button))
    assert.isTrue(canReact(actor('pa'), meeting('upcoming'), button))
    assert.isFalse(canReact(actor('pa'), meeting('closed'), button))
    assert.isFalse(canReact(actor('pa'), meeting(), { ...button, active: false }))
    assert.isFalse(canReact(actor('pa'), meeting(), { ...button, flagMode: true }))
    assert.isTrue(
      canReact(actor('pa', 'mo'), meeting(), { ...button, flagMode: true, changeRoles: [] })
    )
    assert.isFalse(canReact(actor('pa', 'pr'), meeting(), { ...button, changeRoles: ['di'] }))
    assert.isFalse(canListReactions(actor('pa'), meeting(), button))
    assert.isTrue(canListReactions(actor('pa', 'mo'), meeting(), button))
    assert.isFalse(canListReactions(actor('pa', 'mo'), meeting('archived'), button))
  })
})
