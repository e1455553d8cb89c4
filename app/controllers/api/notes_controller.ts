import type { HttpContext } from '@adonisjs/core/http'
import Note from '#models/note'
import { notFound } from '#domain/errors'
import ReactionPolicy from '#policies/reaction_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { participatedMeeting, viewableProposal } from '#services/content_lookup'
import { notePayload } from '#transformers/discussion_transformer'
import {
  meetingQueryValidator,
  updateNoteValidator,
  upsertNoteValidator,
} from '#validators/proposals'
import Notes from '#actions/notes/notes'

/** Private notes (api.md §6.17, domain §14.3): only ever the caller's own. */
export default class NotesController {
  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(meetingQueryValidator, {
      data: ctx.request.qs(),
    })
    const meeting = await participatedMeeting(ctx, meetingId, 'meeting')
    await ctx.bouncer.with(ReactionPolicy).authorize('useNotes', meeting)
    const notes = await Note.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .where('user_id', ctx.currentUser!.id)
      .orderBy('id')
    return { data: notes.map(notePayload) }
  }

  /** Upsert per (user, proposal): 201 created / 200 updated. */
  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(upsertNoteValidator)
    const { proposal, meeting } = await viewableProposal(ctx, input.proposal, 'proposal')
    await ctx.bouncer.with(ReactionPolicy).authorize('useNotes', meeting)
    const { note, created } = await new Notes().upsert({
      proposal,
      userId: ctx.currentUser!.id,
      body: input.body,
      intent: input.intent,
      actor: requestActor(ctx),
    })
    return ctx.response.status(created ? 201 : 200).send(notePayload(note))
  }

  async update(ctx: HttpContext) {
    const note = await this.ownNote(ctx)
    const meeting = await participatedMeeting(ctx, note.meetingId)
    await ctx.bouncer.with(ReactionPolicy).authorize('useNotes', meeting)
    const input = await ctx.request.validateUsing(updateNoteValidator)
    return notePayload(
      await new Notes().update({
        note,
        body: input.body,
        intent: input.intent,
        actor: requestActor(ctx),
      })
    )
  }

  async destroy(ctx: HttpContext) {
    const note = await this.ownNote(ctx)
    const meeting = await participatedMeeting(ctx, note.meetingId)
    await ctx.bouncer.with(ReactionPolicy).authorize('useNotes', meeting)
    await new Notes().delete({
      organisationId: ctx.organisation.id,
      userId: ctx.currentUser!.id,
      noteIds: [note.id],
      actor: requestActor(ctx),
    })
    return ctx.response.noContent()
  }

  /** POST /api/notes/delete-all {meeting} → {deleted: n} */
  async deleteAll(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(meetingQueryValidator)
    const meeting = await participatedMeeting(ctx, meetingId, 'meeting')
    const deleted = await new Notes().delete({
      organisationId: ctx.organisation.id,
      userId: ctx.currentUser!.id,
      meeting,
      actor: requestActor(ctx),
    })
    return { deleted }
  }

  /** Someone else's note does not exist for the caller (404). */
  private async ownNote(ctx: HttpContext) {
    const note = await Note.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!note || note.userId !== ctx.currentUser!.id) throw notFound('No such note')
    return note
  }
}
