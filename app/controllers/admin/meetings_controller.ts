import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import User from '#models/user'
import { fieldError } from '#domain/errors'
import { meetingMachine } from '#domain/meetings/state_machine'
import { describeEvents } from '#domain/state_machines/machine'
import { meetingPermission } from '#domain/permissions/meeting'
import { isOrgManager } from '#domain/permissions/organisation'
import { meetingRoles } from '#domain/permissions/roles'
import MeetingPolicy from '#policies/meeting_policy'
import OrganisationPolicy from '#policies/organisation_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { organisationActor } from '#services/actor_facts'
import { formatTimestamp, pageLinks, withoutEmpty } from '#services/admin_pages'
import { installableDialects } from '#services/dialects'
import { currentDialectInstaller } from '#services/meeting_hooks'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { staffMeeting } from '#services/admin_meetings'
import { paginate, searchUsers } from '#services/queries'
import CreateMeeting from '#actions/meetings/create_meeting'
import UpdateMeeting from '#actions/meetings/update_meeting'
import TransitionMeeting, { meetingMachineFacts } from '#actions/meetings/transition_meeting'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'

const STATES = ['upcoming', 'ongoing', 'closed', 'archiving', 'archived', 'deleting']

const listValidator = vine.create({
  search: vine.string().trim().maxLength(100).optional(),
  state: vine.enum(STATES).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
})
const createValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100),
  body: vine.string().trim().maxLength(20000).optional(),
  public: vine.boolean().optional(),
  visible_in_lists: vine.boolean().optional(),
  dialect: vine.string().trim().maxLength(60).optional(),
})
const updateValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100),
  body: vine.string().trim().maxLength(20000).optional(),
  public: vine.boolean().optional(),
  visible_in_lists: vine.boolean().optional(),
  default_secret_polls: vine.boolean().optional(),
})
const eventValidator = vine.create({ event: vine.string().trim().minLength(1).maxLength(60) })
const participantsValidator = vine.create({
  search: vine.string().trim().maxLength(100).optional(),
  role: vine.enum(Object.keys(meetingRoles)).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
})
const rolesValidator = vine.create({
  users: vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(500),
  role: vine.enum(Object.keys(meetingRoles)),
  mode: vine.enum(['add', 'remove']),
})
const addParticipantValidator = vine.create({
  user: vine.string().trim().minLength(1).maxLength(200),
  role: vine.enum(Object.keys(meetingRoles)),
})

const PER_PAGE = 25

/**
 * Admin meetings hub (issue 5 item 9): list, create from a dialect, edit,
 * state transitions and participants with bulk role changes. Every write goes
 * through the same actions as the API (audit source `admin`).
 */
export default class MeetingsController {
  /** Organisation managers see every meeting; others the meetings they moderate. */
  async index(ctx: HttpContext) {
    const filters = await listValidator.validate(withoutEmpty(ctx.request.qs()))
    const user = ctx.currentUser!
    const manager = isOrgManager(await organisationActor(user), ctx.organisation.id)
    const query = Meeting.forOrganisation(ctx.organisation.id)
    if (!manager) {
      query.whereIn('id', (roles) =>
        roles
          .from('meeting_roles')
          .select('meeting_id')
          .where('user_id', user.id)
          // cast: `like` on a JSON column is not valid on PostgreSQL
          .whereRaw('cast(assigned as text) like ?', ['%"mo"%'])
      )
    }
    if (filters.state) query.where('state', filters.state)
    if (filters.search) {
      const pattern = `%${filters.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      query.whereRaw(`lower(title) like ? escape '\\'`, [pattern])
    }
    query.orderBy('id', 'desc')
    const page = await paginate(query, { page: filters.page, per_page: PER_PAGE })
    return ctx.view.render('pages/admin/meetings/index', {
      meetings: page.rows.map((meeting) => ({
        id: meeting.id,
        title: meeting.title,
        state: meeting.state,
        public: meeting.public,
        dialect: meeting.installedDialect,
        start: formatTimestamp(meeting.startTime),
        created: formatTimestamp(meeting.createdAt),
      })),
      search: filters.search ?? '',
      state: filters.state ?? '',
      states: STATES.map((value) => ({ value, label: value })),
      pages: pageLinks(
        '/admin/meetings',
        { search: filters.search, state: filters.state },
        page.meta
      ),
    })
  }

  async create(ctx: HttpContext) {
    await ctx.bouncer.with(OrganisationPolicy).authorize('addMeeting', ctx.organisation)
    return ctx.view.render('pages/admin/meetings/new', {
      dialects: await this.dialectOptions(ctx),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(OrganisationPolicy).authorize('addMeeting', ctx.organisation)
    const input = await ctx.request.validateUsing(createValidator)
    const installer = currentDialectInstaller()
    if (input.dialect) {
      const available = await this.dialectOptions(ctx)
      if (!installer || !available.some((option) => option.value === input.dialect))
        throw fieldError('dialect', 'Unknown dialect', 'exists')
    }
    const actor = requestActor(ctx, 'admin')
    const meeting = await new CreateMeeting().execute({
      organisation: ctx.organisation,
      title: input.title,
      body: input.body,
      public: input.public ?? false,
      visibleInLists: input.visible_in_lists ?? false,
      creator: ctx.currentUser!,
      actor,
      // Same transaction as the meeting (domain §7.1), as POST /api/meetings does.
      within: input.dialect
        ? (trx, created) => installer!({ trx, meeting: created, actor, dialect: input.dialect! })
        : undefined,
    })
    ctx.session.flash('success', `Meeting “${meeting.title}” created`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}`)
  }

  /** The hub of one meeting: details, edit form, transitions, links to its screens. */
  async show(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const facts = await meetingMachineFacts(meeting)
    // The same evaluation as GET /api/meetings/{id}/event; only allowed events become buttons.
    const events = describeEvents(meetingMachine, meeting.state, facts, (permission) =>
      meetingPermission(permission, actor, meetingFacts(meeting))
    )
    const counts = await MeetingRole.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .count('* as total')
    const bouncer = ctx.bouncer.with(MeetingPolicy)
    return ctx.view.render('pages/admin/meetings/show', {
      meeting: this.summary(meeting),
      events: events.filter((event) => event.allowed),
      blocked: events.filter((event) => !event.allowed),
      participants: Number(counts[0].$extras.total),
      canChange: await bouncer.allows('change', meeting),
      canModerate: await bouncer.allows('moderate', meeting),
    })
  }

  async update(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('change', meeting)
    const input = await ctx.request.validateUsing(updateValidator)
    await new UpdateMeeting().execute({
      meeting,
      changes: {
        title: input.title,
        body: input.body ?? '',
        // Unticked boxes are not submitted: missing means off (docs/admin.md).
        public: input.public ?? false,
        visibleInLists: input.visible_in_lists ?? false,
        defaultSecretPolls: input.default_secret_polls ?? false,
      },
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Meeting saved')
    return ctx.response.redirect(`/admin/meetings/${meeting.id}`)
  }

  /** The machine checks permission and conditions again (domain §5). */
  async fire(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    const { event } = await ctx.request.validateUsing(eventValidator)
    const changed = await new TransitionMeeting().execute({
      meeting,
      event,
      user: ctx.currentUser,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Meeting is now ${changed.state}`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}`)
  }

  async participants(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('changeRoles', meeting)
    const filters = await participantsValidator.validate(withoutEmpty(ctx.request.qs()))
    const query = MeetingRole.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .preload('user')
      .orderBy('meeting_roles.id')
    if (filters.search) query.whereHas('user', (users) => searchUsers(users, filters.search!))
    if (filters.role) query.whereRaw('cast(assigned as text) like ?', [`%"${filters.role}"%`])
    const page = await paginate(query, { page: filters.page, per_page: 50 })
    return ctx.view.render('pages/admin/meetings/participants', {
      meeting: this.summary(meeting),
      rows: page.rows.map((row) => ({
        userId: row.userId,
        name: row.user.fullName || row.user.userid || `#${row.userId}`,
        email: row.user.email,
        userid: row.user.userid,
        roles: row.assigned,
      })),
      roles: Object.values(meetingRoles).map((role) => ({
        value: role.name,
        label: `${role.title} (${role.name})`,
      })),
      search: filters.search ?? '',
      role: filters.role ?? '',
      pages: pageLinks(
        `/admin/meetings/${meeting.id}/participants`,
        { search: filters.search, role: filters.role },
        page.meta
      ),
    })
  }

  /** Bulk add/remove of one role for the ticked users (ChangeMeetingRoles, closure rules included). */
  async roles(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('changeRoles', meeting)
    const input = await ctx.request.validateUsing(rolesValidator)
    const results = await new ChangeMeetingRoles().execute({
      meeting,
      userIds: input.users,
      roles: [input.role],
      mode: input.mode,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash(
      'success',
      `${input.mode === 'add' ? 'Added' : 'Removed'} ${input.role} for ${results.length} user(s)`
    )
    return ctx.response.redirect().back()
  }

  /** Adds one organisation user (by email or user id) with a role. */
  async addParticipant(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('changeRoles', meeting)
    const input = await ctx.request.validateUsing(addParticipantValidator)
    const key = input.user.toLowerCase()
    const user = await User.forOrganisation(ctx.organisation.id)
      .where((q) => q.whereRaw('lower(email) = ?', [key]).orWhereRaw('lower(userid) = ?', [key]))
      .first()
    if (!user) throw fieldError('user', 'No user with this email or user id', 'exists')
    await new ChangeMeetingRoles().execute({
      meeting,
      userIds: [user.id],
      roles: [input.role],
      mode: 'add',
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Added ${input.role} for ${user.email ?? user.userid}`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/participants`)
  }

  private summary(meeting: Meeting) {
    return {
      id: meeting.id,
      title: meeting.title,
      body: meeting.body ?? '',
      state: meeting.state,
      public: meeting.public,
      visibleInLists: meeting.visibleInLists,
      defaultSecretPolls: meeting.defaultSecretPolls,
      dialect: meeting.installedDialect,
      start: formatTimestamp(meeting.startTime),
      end: formatTimestamp(meeting.endTime),
      created: formatTimestamp(meeting.createdAt),
    }
  }

  private async dialectOptions(ctx: HttpContext) {
    const available = await installableDialects(ctx.organisation.id)
    return available.map((entry) => ({
      value: entry.dialect.name,
      label: `${entry.dialect.title} (${entry.dialect.name}${entry.version ? ` v${entry.version}` : ''})`,
    }))
  }
}
