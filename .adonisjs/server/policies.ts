export const policies = {
  AccessPolicyPolicy: () => import('#policies/access_policy_policy'),
  AgendaItemPolicy: () => import('#policies/agenda_item_policy'),
  DiscussionPostPolicy: () => import('#policies/discussion_post_policy'),
  MeetingApiKeyPolicy: () => import('#policies/meeting_api_key_policy'),
  MeetingComponentPolicy: () => import('#policies/meeting_component_policy'),
  MeetingInvitePolicy: () => import('#policies/meeting_invite_policy'),
  MeetingPolicy: () => import('#policies/meeting_policy'),
  OrganisationPolicy: () => import('#policies/organisation_policy'),
  PollPolicy: () => import('#policies/poll_policy'),
  ProposalPolicy: () => import('#policies/proposal_policy'),
  ReactionPolicy: () => import('#policies/reaction_policy'),
  SpeakerPolicy: () => import('#policies/speaker_policy'),
}

