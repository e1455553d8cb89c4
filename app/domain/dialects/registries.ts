/**
 * The registries a dialect file may name (domain §20.2). Typed constant maps, framework-free:
 * the validator checks keys against them, and install code reads them.
 */
import { METHOD_IDS } from '../polls/counting/types.js'

/** Electoral register policies (domain §11.4); `presence_check` is recognised but not offered (D37). */
export const ER_POLICY_NAMES = [
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

/** Proposal ID policies (domain §9.6, §24). */
export const PROPOSAL_ID_POLICY_NAMES = ['userid', 'sequential', 'agenda_item'] as const

/** Speaker list methods (domain §12.1). */
export const SPEAKER_LIST_METHODS = ['simple', 'priority', 'gender_prio', 'time_fair'] as const

/** Poll methods a dialect may allow (domain §10.5); historic methods cannot be chosen. */
export const DIALECT_POLL_METHODS: readonly string[] = METHOD_IDS

/** Groups a dialect script creates on install (domain §20.2 `run_scripts`). */
export interface ScriptGroup {
  title: string
  groupid: string
  tags: string[]
  votes?: number | null
}

export interface DialectScript {
  title: string
  /** Groups to upsert (by groupid) when the dialect is installed. */
  groups(): ScriptGroup[]
}

/**
 * The dialect script registry. Scripts are pure data producers so the installer stays one
 * transaction; a stored key that no longer resolves is reported by the validator.
 */
export const DIALECT_SCRIPTS: Record<string, DialectScript> = {
  'federation.create_region_groups': {
    title: 'Create one group per federation region',
    groups: () =>
      ['North', 'South', 'East', 'West'].map((region) => ({
        title: `${region} region`,
        groupid: region.toLowerCase(),
        tags: ['region'],
      })),
  },
}
