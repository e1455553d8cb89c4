import type Organisation from '#models/organisation'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import CreateAccessToken from '#actions/auth/create_access_token'
import { systemActor } from '#services/audit_log'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { givenAgendaItem, givenMeeting, givenRoles } from '#tests/helpers/meetings'

/** A bearer token made directly (no password hashing per voter: many voters stay fast). */
export async function tokenFor(user: User): Promise<string> {
  const token = await new CreateAccessToken().execute({
    user,
    name: 'test',
    abilities: ['*'],
    expiresInDays: 1,
    actor: systemActor('cli'),
  })
  return token.value!.release()
}

export async function givenProposals(item: AgendaItem, count: number): Promise<Proposal[]> {
  const proposals: Proposal[] = []
  for (let i = 0; i < count; i++) {
    proposals.push(
      await Proposal.create({
        organisationId: item.organisationId,
        meetingId: item.meetingId,
        agendaItemId: item.id,
        shortname: 'proposal',
        propId: `p-${item.id}-${i + 1}`,
        body: `<p>Proposal ${i + 1}</p>`,
        title: `Proposal ${i + 1}`,
        state: 'published',
        tags: [],
        mentions: [],
        authorId: null,
        meetingGroupId: null,
        asGroup: false,
        paragraphId: null,
        bodyDiffBrief: null,
        rev: 1,
      })
    )
  }
  return proposals
}

export interface PollWorld {
  organisation: Organisation
  host: string
  meeting: Meeting
  item: AgendaItem
  moderator: User
  moderatorToken: string
  voters: User[]
  tokens: string[]
  /** Bearer request helper. */
  as(token: string, request: any): any
}

/** An ongoing meeting with an ongoing agenda item, a moderator and `voters` potential voters. */
export async function pollWorld(
  options: { voters?: number; erPolicyName?: string; groupVotesActive?: boolean } = {}
): Promise<PollWorld> {
  const { organisation, host } = await givenOrganisation()
  const moderator = await givenUser(organisation)
  const meeting = await givenMeeting(organisation, {
    moderator,
    state: 'ongoing',
    erPolicyName: options.erPolicyName ?? 'auto_before_poll',
  })
  if (options.groupVotesActive) {
    meeting.groupVotesActive = true
    await meeting.save()
  }
  const item = await givenAgendaItem(meeting, 'ongoing')
  const voters: User[] = []
  const tokens: string[] = []
  for (let i = 0; i < (options.voters ?? 3); i++) {
    const user = await givenUser(organisation)
    await givenRoles(meeting, user, ['pv'])
    voters.push(user)
    tokens.push(await tokenFor(user))
  }
  return {
    organisation,
    host,
    meeting,
    item,
    moderator,
    moderatorToken: await tokenFor(moderator),
    voters,
    tokens,
    as(token, request) {
      return request.header('host', host).header('authorization', `Bearer ${token}`)
    },
  }
}
