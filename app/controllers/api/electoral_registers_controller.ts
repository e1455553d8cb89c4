import type { HttpContext } from '@adonisjs/core/http'
import { stringify } from 'csv-stringify/sync'
import Meeting from '#models/meeting'
import User from '#models/user'
import ElectoralRegister from '#models/electoral_register'
import VoteTransfer from '#models/vote_transfer'
import { fieldError, notFound, permissionDenied } from '#domain/errors'
import { erPolicies } from '#domain/electoral_register/policies'
import { policyFor } from '#domain/electoral_register/register'
import { canAddTransfer, canChangeTransfer, canViewTransfer } from '#domain/permissions/polls'
import { isModerator } from '#domain/permissions/meeting'
import PollPolicy from '#policies/poll_policy'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { registerPayload } from '#services/electoral_registers'
import {
  changeTransferValidator,
  createTransferValidator,
  manualRegisterValidator,
  meetingQueryValidator,
  triggerRegisterValidator,
} from '#validators/polls'
import {
  ManualRegister,
  SaveVoteTransfer,
  TriggerRegister,
  transferPayload,
} from '#actions/electoral_registers/registers'

async function meetingOf(ctx: HttpContext, id: number, field = 'meeting') {
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
  if (!meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting)))
    throw fieldError(field, 'No such meeting', 'exists')
  return meeting
}

/** Electoral registers (api.md §6.14, domain §11). */
export default class ElectoralRegistersController {
  async policies() {
    const data = Object.values(erPolicies)
      .filter((policy) => !policy.flags.historic)
      .map((policy) => ({
        name: policy.name,
        title: policy.title,
        description: policy.description,
        available: policy.flags.available,
        allow_manual: policy.flags.allowManual,
        allow_trigger: policy.flags.allowTrigger,
        require_manual: policy.flags.requireManual,
        allow_poll_er_change: policy.flags.allowPollErChange,
        group_votes_active: policy.flags.groupVotesActive,
        handles_active_check: policy.flags.handlesActiveCheck,
        handles_vote_weight: policy.flags.handlesVoteWeight,
        handles_delegate_to: policy.flags.handlesDelegateTo,
        vote_transfer_policy: policy.flags.voteTransferPolicy,
      }))
    return { data }
  }

  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(meetingQueryValidator, {
      data: ctx.request.qs(),
    })
    const meeting = await meetingOf(ctx, meetingId)
    await ctx.bouncer.with(PollPolicy).authorize('viewRegisters', meeting)
    const registers = await ElectoralRegister.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id', 'desc')
    return { data: registers.map(registerPayload) }
  }

  private async visibleRegister(ctx: HttpContext) {
    const register = await ElectoralRegister.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!register) throw notFound('No such electoral register')
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, register.meetingId)
    if (!meeting || (await ctx.bouncer.with(PollPolicy).denies('viewRegisters', meeting)))
      throw notFound('No such electoral register')
    return { register, meeting }
  }

  async show(ctx: HttpContext) {
    const { register } = await this.visibleRegister(ctx)
    return registerPayload(register)
  }

  /** CSV/JSON of first_name, last_name, email, userid, weight (domain §11.6), any participant. */
  async export(ctx: HttpContext) {
    const { register } = await this.visibleRegister(ctx)
    const format = ctx.request.qs().format === 'csv' ? 'csv' : 'json'
    const ids = register.voterData.map(([user]) => Number(user))
    const users = await User.forOrganisation(ctx.organisation.id).whereIn('id', ids)
    const byId = new Map(users.map((user) => [user.id, user]))
    const rows = register.voterData.map(([userId, weight]) => {
      const user = byId.get(Number(userId)) as any
      return {
        first_name: user?.firstName ?? '',
        last_name: user?.lastName ?? '',
        email: user?.email ?? '',
        userid: user?.userid ?? '',
        weight: Number(weight),
      }
    })
    ctx.response.header(
      'content-disposition',
      `attachment; filename="electoral-register-${register.id}.${format}"`
    )
    if (format === 'csv') {
      ctx.response.header('content-type', 'text/csv; charset=utf-8')
      return stringify(rows, {
        header: true,
        columns: ['first_name', 'last_name', 'email', 'userid', 'weight'],
      })
    }
    return { data: rows }
  }

  async trigger(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(triggerRegisterValidator)
    const meeting = await meetingOf(ctx, meetingId)
    await ctx.bouncer.with(PollPolicy).authorize('addRegister', meeting)
    const register = await new TriggerRegister().execute({ meeting, actor: requestActor(ctx) })
    if (!register) return ctx.response.noContent()
    ctx.response.status(201)
    return registerPayload(register)
  }

  async manual(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(manualRegisterValidator)
    const meeting = await meetingOf(ctx, input.meeting)
    await ctx.bouncer.with(PollPolicy).authorize('addRegister', meeting)
    const register = await new ManualRegister().execute({
      meeting,
      weights: input.weights,
      actor: requestActor(ctx),
    })
    if (!register) return ctx.response.noContent()
    ctx.response.status(201)
    return registerPayload(register)
  }
}

function transfersEnabled(meeting: Meeting) {
  try {
    return policyFor(meeting.erPolicyName).flags.voteTransferPolicy !== null
  } catch {
    return false
  }
}

/** Vote transfers (api.md §6.14, domain §11.5). */
export class VoteTransfersController {
  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(meetingQueryValidator, {
      data: ctx.request.qs(),
    })
    const meeting = await meetingOf(ctx, meetingId)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const transfers = await VoteTransfer.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    return {
      data: transfers
        .filter((t) => canViewTransfer(actor, meetingFacts(meeting), t))
        .map(transferPayload),
    }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createTransferValidator)
    const meeting = await meetingOf(ctx, input.meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    if (
      !canAddTransfer(actor, meetingFacts(meeting), {
        enabled: transfersEnabled(meeting),
        sourceId: input.source,
      })
    ) {
      throw permissionDenied('vote_transfer.add')
    }
    const transfer = await new SaveVoteTransfer().create({
      meeting,
      source: input.source,
      target: input.target,
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return transferPayload(transfer)
  }

  private async visibleTransfer(ctx: HttpContext) {
    const transfer = await VoteTransfer.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!transfer) throw notFound('No such vote transfer')
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, transfer.meetingId)
    const actor = meeting ? await meetingActor(ctx.currentUser, meeting) : null
    if (!meeting || !canViewTransfer(actor, meetingFacts(meeting), transfer))
      throw notFound('No such vote transfer')
    return { transfer, meeting, actor }
  }

  async update(ctx: HttpContext) {
    const { transfer, meeting, actor } = await this.visibleTransfer(ctx)
    const { target } = await ctx.request.validateUsing(changeTransferValidator)
    // Domain §11.5: only the target (or a moderator) reassigns.
    const allowed =
      canChangeTransfer(actor, meetingFacts(meeting), {
        enabled: transfersEnabled(meeting),
        sourceId: transfer.sourceId,
        targetId: transfer.targetId,
      }) &&
      (actor?.userId === transfer.targetId || isModerator(actor, meetingFacts(meeting)))
    if (!allowed) throw permissionDenied('vote_transfer.change')
    const changed = await new SaveVoteTransfer().change({
      transfer,
      meeting,
      target,
      actor: requestActor(ctx),
    })
    return transferPayload(changed)
  }

  async destroy(ctx: HttpContext) {
    const { transfer, meeting, actor } = await this.visibleTransfer(ctx)
    if (
      !canChangeTransfer(actor, meetingFacts(meeting), {
        enabled: transfersEnabled(meeting),
        sourceId: transfer.sourceId,
        targetId: transfer.targetId,
      })
    ) {
      throw permissionDenied('vote_transfer.delete')
    }
    await new SaveVoteTransfer().delete({ transfer, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }
}
