import MeetingComponent from '#models/meeting_component'
import { isValidComponent } from '#domain/components/registry'
import { batch, registerSection } from '#realtime/snapshot_sections'
import { meetingComponentPayload } from '#transformers/meeting_component_transformer'

/**
 * Snapshot section `components.meeting` of the meeting channel (domain §17.3): the valid
 * components, enabled or not, in the shape of `meeting_component.changed`. It depends only on the
 * channel, so it is shared between callers.
 */
export function registerComponentSections() {
  registerSection(
    'meeting',
    'components.meeting',
    async ({ organisation, params }) => {
      const rows = await MeetingComponent.forOrganisation(organisation.id)
        .where('meeting_id', params.meetingId)
        .orderBy('id')
      return [
        batch(
          'meeting_component.changed',
          rows
            .filter((row) => isValidComponent(row.componentName, row.settings))
            .map(meetingComponentPayload)
        ),
      ]
    },
    { shared: true }
  )
}
