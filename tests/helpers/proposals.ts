import type { ApiClient } from '@japa/api-client'
import type Organisation from '#models/organisation'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import MeetingComponent from '#models/meeting_component'
import CreateMeeting from '#actions/meetings/create_meeting'
import TransitionAgendaItem from '#actions/agenda/transition_agenda_item'
import { systemActor } from '#services/audit_log'
import { registerProposalPollUsage } from '#services/proposal_hooks'
import type { MeetingState } from '#domain/meetings/state_machine'
import type { AgendaItemState } from '#domain/agenda/state_machine'
import {
  asBrowser,
  givenOrganisation,
  givenUser,
  loginBrowser,
  type BrowserSession,
} from '#tests/helpers/world'

// One implementation of these for every test area: tests/helpers/meetings.ts.
import { moveMeetingTo as moveMeeting, givenRoles } from '#tests/helpers/meetings'
export { moveMeeting, givenRoles }

const cli = systemActor('cli')

const itemPaths: Record<AgendaItemState, string[]> = {
  private: [],
  upcoming: ['make_upcoming'],
  ongoing: ['make_ongoing'],
  closed: ['close'],
  archived: ['archive'],
}

/** An agenda item in a state the meeting allows (domain §7.5), moved there through its machine. */
export async function givenItem(
  meeting: Meeting,
  state: AgendaItemState,
  options: { blockProposals?: boolean; blockDiscussion?: boolean } = {}
) {
  const last = await AgendaItem.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .max('order as highest')
    .first()
  let item = await AgendaItem.create({
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    title: 'Item',
    body: '',
    state: 'private',
    order: Number(last?.$extras.highest ?? 0) + 1,
    blockProposals: options.blockProposals ?? false,
    blockDiscussion: options.blockDiscussion ?? false,
    tags: [],
    relatedModified: null,
    rev: 1,
  })
  for (const event of itemPaths[state]) {
    item = await new TransitionAgendaItem().execute({
      item,
      event,
      user: null,
      actor: cli,
      force: true,
    })
  }
  return item
}

export async function givenGroup(
  meeting: Meeting,
  groupid: string,
  options: { postAs?: boolean; members?: User[] } = {}
) {
  const group = await MeetingGroup.create({
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    title: groupid,
    body: '',
    groupid,
    votes: null,
    delegateToId: null,
    showOnSpeaker: true,
    postAs: options.postAs ?? false,
    tags: [],
    rev: 1,
  })
  for (const member of options.members ?? []) {
    await GroupMembership.create({
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      meetingGroupId: group.id,
      userId: member.id,
      groupRoleId: null,
      votes: null,
      rev: 1,
    })
  }
  return group
}

export async function enableNotes(meeting: Meeting) {
  await MeetingComponent.create({
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    componentName: 'notes',
    enabled: true,
    settings: {},
    rev: 1,
  })
}

/** Pretends polls use proposals (the poll module registers the real lookup). */
export function fakePollUsage(usage: { any?: number[]; active?: number[] }) {
  return registerProposalPollUsage(async (_client, query) => {
    const ids = query.activeOnly
      ? (usage.active ?? [])
      : [...(usage.any ?? []), ...(usage.active ?? [])]
    return query.proposalIds.filter((id) => ids.includes(id))
  })
}

export { capturePublished as capture } from '#tests/helpers/meetings'

export type Caller =
  | 'anonymous'
  | 'other_org_user'
  | 'org_member'
  | 'participant'
  | 'proposer'
  | 'discusser'
  | 'moderator'
  | 'org_manager'

export const allCallers: Caller[] = [
  'anonymous',
  'other_org_user',
  'org_member',
  'participant',
  'proposer',
  'discusser',
  'moderator',
  'org_manager',
]

/**
 * One organisation with a meeting and a logged-in user per caller kind
 * (`other_org_user` logs in on its own host and sends requests there).
 */
export async function contentWorld(
  client: ApiClient,
  options: { state?: MeetingState; public?: boolean } = {}
) {
  const { organisation, host } = await givenOrganisation()
  const other = await givenOrganisation()
  const users: Record<Exclude<Caller, 'anonymous'>, User> = {
    other_org_user: await givenUser(other.organisation),
    org_member: await givenUser(organisation),
    participant: await givenUser(organisation),
    proposer: await givenUser(organisation),
    discusser: await givenUser(organisation),
    moderator: await givenUser(organisation),
    org_manager: await givenUser(organisation, { roles: ['org_manager'] }),
  }
  let meeting = await new CreateMeeting().execute({
    organisation,
    title: 'Meeting',
    creator: users.moderator,
    public: options.public,
    erPolicyName: 'auto_before_poll',
    actor: cli,
  })
  await givenRoles(meeting, users.participant, ['pa'])
  await givenRoles(meeting, users.proposer, ['pr'])
  await givenRoles(meeting, users.discusser, ['di'])
  meeting = await moveMeeting(meeting, options.state ?? 'ongoing')
  const sessions = new Map<Caller, BrowserSession>()
  for (const [caller, user] of Object.entries(users) as Array<
    [Exclude<Caller, 'anonymous'>, User]
  >) {
    sessions.set(
      caller,
      await loginBrowser(client, caller === 'other_org_user' ? other.host : host, user)
    )
  }
  return {
    organisation,
    host,
    meeting,
    users,
    session: (caller: Exclude<Caller, 'anonymous'>) => sessions.get(caller)!,
    as<R extends ReturnType<ApiClient['get']>>(caller: Caller, request: R): R {
      if (caller === 'anonymous') return request.header('host', host) as R
      return asBrowser(request, sessions.get(caller)!) as R
    },
  }
}

/** A logged-in user with meeting roles in an existing world. */
export async function givenMember(
  client: ApiClient,
  organisation: Organisation,
  host: string,
  meeting: Meeting,
  roles: string[],
  userid?: string
) {
  const user = await givenUser(organisation)
  if (userid) {
    user.userid = userid
    await user.save()
  }
  if (roles.length) await givenRoles(meeting, user, roles)
  return { user, session: await loginBrowser(client, host, user) }
}
