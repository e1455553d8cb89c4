import type MeetingComponent from '#models/meeting_component'
import { isValidComponent, type ComponentType } from '#domain/components/registry'

/** A MeetingComponent (api.md §6.7, realtime `meeting_component.changed`, §8). */
export function meetingComponentPayload(row: MeetingComponent) {
  return {
    id: row.id,
    rev: row.rev,
    meeting: row.meetingId,
    component_name: row.componentName,
    enabled: row.enabled,
    is_valid: isValidComponent(row.componentName, row.settings),
    settings: row.settings,
  }
}

/** One entry of `GET /api/component-types`. */
export function componentTypePayload(type: ComponentType) {
  return {
    name: type.name,
    title: type.title,
    scope: [...type.scope],
    disable_on_close: type.disableOnClose,
    settings_schema: type.settingsSchema,
  }
}
