import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import { fieldError } from '#domain/errors'
import { meetingMachine } from '#domain/meetings/state_machine'
import { describeEvents } from '#domain/state_machines/machine'
import { meetingPermission, type MeetingActor } from '#domain/permissions/meeting'
import { isOrgManager } from '#domain/permissions/organisation'
import type { MeetingRoleCode } from '#domain/permissions/roles'
import MeetingPolicy from '#policies/meeting_policy'
import OrganisationPolicy from '#policies/organisation_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { paginate } from '#services/queries'
import { meetingActor, meetingFacts, meetingRolesOf } from '#services/meeting_facts'
import { visibleMeeting } from '#services/meeting_lookup'
import { currentDialectInstaller } from '#services/meeting_hooks'
import { organisationActor } from '#services/actor_facts'
import { meetingDetail, meetingListEntry } from '#transformers/meeting_transformer'
import {
  agendaOrderValidator,
  commaQuery,
  createMeetingValidator,
  eventValidator,
  listMeetingsValidator,
  updateMeetingValidator,
} from '#validators/meetings'
import CreateMeeting from '#actions/meetings/create_meeting'
import UpdateMeeting from '#actions/meetings/update_meeting'
import TransitionMeeting, { meetingMachineFacts } from '#actions/meetings/transition_meeting'
import ReorderAgenda from '#actions/agenda/reorder_agenda'
import { createRoomWithSpeakerSystem } from '#actions/rooms/rooms'

/** Meetings (api.md §6.5) and their generic event endpoint (§6.1). */
export default class MeetingsController {
  /** Own meetings plus public/listed ones; all for organisation managers; anonymous: public only. */
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listMeetingsValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const user = ctx.currentUser
    const query = Meeting.forOrganisation(ctx.organisation.id)
    const manager = user ? isOrgManager(await organisationActor(user), ctx.organisation.id) : false
    if (!user) {
      query.where('public', true)
    } else if (!manager) {
      query.where((visible) => {
        visible
          .where('public', true)
          .orWhere('visible_in_lists', true)
          .orWhereIn('id', (roles) =>
            roles.from('meeting_roles').select('meeting_id').where('user_id', user.id)
          )
      })
    }
    if (filters.state) query.whereIn('state', filters.state.split(','))
    if (filters.search) {
      const pattern = `%${filters.search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`
      query.whereRaw(`lower(title) like ? escape '\\'`, [pattern])
    }
    if (filters.year) {
      // The year the meeting started, or was created when it has not started yet.
      const from = `${filters.year}-01-01`
      const to = `${filters.year + 1}-01-01`
      query.where((year) => {
        year
          .where((started) => started.where('start_time', '>=', from).where('start_time', '<', to))
          .orWhere((unstarted) =>
            unstarted
              .whereNull('start_time')
              .where('created_at', '>=', from)
              .where('created_at', '<', to)
          )
      })
    }
    query
      .orderByRaw('case when start_time is null then 0 else 1 end')
      .orderBy('start_time', 'desc')
      .orderBy('id', 'asc')
    const page = await paginate(query, filters)
    const roles = await this.rolesByMeeting(
      ctx,
      page.rows.map((meeting) => meeting.id)
    )
    return {
      data: page.rows.map((meeting) => meetingListEntry(meeting, roles.get(meeting.id) ?? null)),
      meta: page.meta,
    }
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(OrganisationPolicy).authorize('addMeeting', ctx.organisation)
    const input = await ctx.request.validateUsing(createMeetingValidator)
    if (input.sls && !input.room) {
      throw fieldError('sls', 'A speaker list system needs a room', 'required_with')
    }
    const installer = currentDialectInstaller()
    if (input.install_dialect && !installer) {
      throw fieldError('install_dialect', 'Unknown dialect', 'exists')
    }
    const actor = requestActor(ctx)
    const meeting = await new CreateMeeting().execute({
      organisation: ctx.organisation,
      title: input.title,
      body: input.body,
      public: input.public,
      visibleInLists: input.visible_in_lists,
      defaultSecretPolls: input.default_secret_polls,
      erPolicyName: input.er_policy_name ?? null,
      proposalIdPolicyName: input.proposal_id_policy_name ?? null,
      creator: ctx.currentUser!,
      actor,
      // One transaction (domain §7.1): the room and its speaker system, then the dialect.
      within: async (trx, created) => {
        if (input.room) {
          await createRoomWithSpeakerSystem(
            trx,
            created,
            { room: input.room, sls: input.sls },
            actor
          )
        }
        if (input.install_dialect) {
          await installer!({ trx, meeting: created, actor, dialect: input.install_dialect })
        }
      },
    })
    ctx.response.status(201)
    return meetingDetail(meeting, await meetingRolesOf(ctx.currentUser!.id, meeting))
  }

  /** Participants (or anyone, for public meetings) get the full object; preview gives the list fields. */
  async show(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    const roles = ctx.currentUser ? await meetingRolesOf(ctx.currentUser.id, meeting) : []
    if (await ctx.bouncer.with(MeetingPolicy).allows('read', meeting))
      return meetingDetail(meeting, roles)
    return meetingListEntry(meeting, roles)
  }

  async update(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('change', meeting)
    const input = await ctx.request.validateUsing(updateMeetingValidator)
    const updated = await new UpdateMeeting().execute({
      meeting,
      changes: {
        title: input.title,
        body: input.body,
        public: input.public,
        visibleInLists: input.visible_in_lists,
        erPolicyName: input.er_policy_name,
        proposalIdPolicyName: input.proposal_id_policy_name,
        groupVotesActive: input.group_votes_active,
        groupRolesActive: input.group_roles_active,
        defaultSecretPolls: input.default_secret_polls,
      },
      actor: requestActor(ctx),
    })
    return meetingDetail(updated, await meetingRolesOf(ctx.currentUser!.id, updated))
  }

  /** GET /api/meetings/{id}/event (api.md §6.1): whoever can read the meeting. */
  async events(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('read', meeting)
    return this.eventStatus(meeting, await meetingActor(ctx.currentUser, meeting))
  }

  /** POST /api/meetings/{id}/event: checks in the order of domain §5 (inside the machine). */
  async fire(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    const { event } = await ctx.request.validateUsing(eventValidator)
    const changed = await new TransitionMeeting().execute({
      meeting,
      event,
      user: ctx.currentUser,
      actor: requestActor(ctx),
    })
    const actor = await meetingActor(ctx.currentUser, changed)
    const status = await this.eventStatus(changed, actor)
    return {
      ...status,
      object: await meetingDetail(changed, actor?.meetingRoles ? [...actor.meetingRoles] : null),
    }
  }

  async agendaOrder(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('change', meeting)
    const { order } = await ctx.request.validateUsing(agendaOrderValidator)
    await new ReorderAgenda().execute({ meeting, order, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  private async eventStatus(meeting: Meeting, actor: MeetingActor | null) {
    const facts = await meetingMachineFacts(meeting)
    const events = describeEvents(meetingMachine, meeting.state, facts, (permission) =>
      meetingPermission(permission, actor, meetingFacts(meeting))
    )
    return { state: meeting.state, events }
  }

  private async rolesByMeeting(ctx: HttpContext, meetingIds: number[]) {
    const roles = new Map<number, MeetingRoleCode[]>()
    if (!ctx.currentUser || meetingIds.length === 0) return roles
    const rows = await MeetingRole.forOrganisation(ctx.organisation.id)
      .where('user_id', ctx.currentUser.id)
      .whereIn('meeting_id', meetingIds)
    for (const row of rows) roles.set(row.meetingId, row.assigned)
    return roles
  }
}
