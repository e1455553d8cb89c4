/**
 * Keys of the electoral register policy registry (domain §11.4), as far as
 * meetings need them: `make_ongoing` requires a registered policy. The full
 * policies (flags, voter algorithms) belong to the electoral register module;
 * `presence_check` is recognised in imported data only (D37) and is therefore
 * not a registered policy here.
 */
export const erPolicyNames = [
  'auto_before_poll',
  'manual_trigger',
  'manual',
  'auto_always',
  'gv_auto_before_p',
  'group_auto_eq_rnd_bf',
  'main_subst_active',
  'main_subst_delegate',
  'skk_kfum',
  'skr_agarrad',
  'unrestricted',
] as const

export type ErPolicyName = (typeof erPolicyNames)[number]

export function isRegisteredErPolicy(name: string | null | undefined): name is ErPolicyName {
  return !!name && (erPolicyNames as readonly string[]).includes(name)
}

/** Proposal ID policies offered (domain §9.6, §24); null on a meeting means `userid`. */
export const proposalIdPolicyNames = ['userid', 'sequential', 'agenda_item'] as const
