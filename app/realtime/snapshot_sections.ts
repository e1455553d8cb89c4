import type Organisation from '#models/organisation'
import type User from '#models/user'
import type { ChannelKind } from '#realtime/channels'

/**
 * Snapshot sections (api.md §7.4, domain §17.3): the extension point through
 * which feature modules contribute to a channel's initial state. A module
 * registers, for a channel kind, a named collector that returns messages in
 * the same shapes as live messages (without seq); collections use
 * `<type>.batch` with `items` (see `batch()`).
 *
 *   registerSection('participants', 'agenda.items', async ({ params }) => [batch('agenda_item.changed', …)])
 *
 * Sections are returned in registration order. `shared: true` sections depend
 * only on the channel (not on the caller) and are cached per (channel, epoch,
 * seq) for a few seconds; per-user sections (own votes, own notes, …) are
 * computed per request. `enabled` hides a section that does not apply (a
 * component switched off).
 */
export interface SnapshotMessage {
  type: string
  data?: unknown
  items?: unknown[]
}

export interface SectionContext {
  user: User
  organisation: Organisation
  channel: string
  kind: ChannelKind
  params: Record<string, number>
}

export interface SectionDefinition {
  kind: ChannelKind
  name: string
  collect: (context: SectionContext) => Promise<SnapshotMessage[]>
  shared: boolean
  enabled?: (context: SectionContext) => Promise<boolean>
}

const sections: SectionDefinition[] = []

export function registerSection(
  kind: ChannelKind,
  name: string,
  collect: SectionDefinition['collect'],
  options: { shared?: boolean; enabled?: SectionDefinition['enabled'] } = {}
) {
  const existing = sections.findIndex((section) => section.kind === kind && section.name === name)
  const definition: SectionDefinition = {
    kind,
    name,
    collect,
    shared: options.shared ?? false,
    enabled: options.enabled,
  }
  if (existing >= 0) sections[existing] = definition
  else sections.push(definition)
  return () => {
    const index = sections.indexOf(definition)
    if (index >= 0) sections.splice(index, 1)
  }
}

export function sectionsFor(kind: ChannelKind): SectionDefinition[] {
  return sections.filter((section) => section.kind === kind)
}

/** A collection as one batch message (snapshots always batch collections, api.md §7.8). */
export function batch(type: string, items: unknown[]): SnapshotMessage {
  return { type: `${type}.batch`, items }
}
