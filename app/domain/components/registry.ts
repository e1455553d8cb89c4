/**
 * Component registry (domain §15.1), as far as meetings need it now: names,
 * scope and `disable_on_close`. Settings schemas are checked by `validateSettings`.
 */
export interface ComponentType {
  name: string
  title: string
  scope: readonly ('meeting' | 'organisation')[]
  disableOnClose: boolean
}

export const componentTypes: Record<string, ComponentType> = {
  flash_message: {
    name: 'flash_message',
    title: 'Flash message',
    scope: ['meeting', 'organisation'],
    disableOnClose: false,
  },
  proposal_print: {
    name: 'proposal_print',
    title: 'Proposal print',
    scope: ['meeting'],
    disableOnClose: false,
  },
  active_users: {
    name: 'active_users',
    title: 'Active users',
    scope: ['meeting'],
    disableOnClose: true,
  },
  presence_check: {
    name: 'presence_check',
    title: 'Presence check',
    scope: ['meeting'],
    disableOnClose: false,
  },
  notes: { name: 'notes', title: 'Notes', scope: ['meeting'], disableOnClose: false },
  gtags: { name: 'gtags', title: 'Gender', scope: ['meeting'], disableOnClose: false },
  ptags: { name: 'ptags', title: 'Pronoun', scope: ['meeting'], disableOnClose: false },
  dialects_filter: {
    name: 'dialects_filter',
    title: 'Dialects filter',
    scope: ['organisation'],
    disableOnClose: false,
  },
  repeated_irv: {
    name: 'repeated_irv',
    title: 'Repeated IRV',
    scope: ['organisation'],
    disableOnClose: false,
  },
}

export function isMeetingComponent(name: string): boolean {
  return (
    Object.prototype.hasOwnProperty.call(componentTypes, name) &&
    componentTypes[name].scope.includes('meeting')
  )
}

/** Names of meeting components disabled when the meeting closes. */
export function componentsDisabledOnClose(): string[] {
  return Object.values(componentTypes)
    .filter((type) => type.disableOnClose)
    .map((type) => type.name)
}
