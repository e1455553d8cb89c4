import type { HttpContext } from '@adonisjs/core/http'
import { roomContext } from '#services/speaker_lookup'
import { roomProjection } from '#services/room_projection'

/**
 * The projector page of a room (domain §13): read-only, full-screen, served by
 * the app. It renders the current projection once on the server and then
 * follows the room over SSE (Transmit): every pushed change of the room, its
 * active speaker list or its turns makes the page re-read
 * `GET /api/rooms/{id}/projection`; text markings are applied as pushed. The
 * countdown runs locally from the server time in the payload.
 */
export default class ProjectorController {
  async show(ctx: HttpContext) {
    const { room, actor } = await roomContext(ctx, ctx.params.id)
    const projection = await roomProjection(room, actor)
    const config = {
      projection,
      roomId: room.id,
      meetingId: room.meetingId,
      channels: [`meetings/${room.meetingId}/rooms/${room.id}`, `meetings/${room.meetingId}`],
    }
    // Embedded in a <script type="application/json">: `<` is escaped so no markup can close it.
    const configJson = JSON.stringify(config).replace(/</g, '\\u003c')
    return ctx.view.render('pages/projector/room', { projection, configJson })
  }
}
