import vine from '@vinejs/vine'
import { validScopes } from '#domain/integrations/api_keys'

/** POST /api/account-link-options/choose (api.md §3.2) */
export const chooseAccountValidator = vine.create({
  user: vine.number().withoutDecimals().positive(),
})

/** Login provider settings (domain §6.4), for the Ace command and the admin screen. */
export const loginProviderValidator = vine.create({
  provider_id: vine
    .string()
    .trim()
    .toLowerCase()
    .maxLength(50)
    .regex(/^[a-z0-9][a-z0-9_-]*$/),
  title: vine.string().trim().maxLength(100).optional(),
  oidc_endpoint: vine
    .string()
    .trim()
    .maxLength(500)
    .url({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }),
  client_id: vine.string().trim().minLength(1).maxLength(255),
  // Optional on update: the stored secret is kept when none is given.
  client_secret: vine.string().minLength(1).maxLength(2000).optional(),
  scope: vine.string().trim().maxLength(500).optional(),
  pkce: vine.boolean().optional(),
  primary: vine.boolean().optional(),
  hidden: vine.boolean().optional(),
  // Empty clears it.
  superuser_claim: vine
    .string()
    .trim()
    .maxLength(100)
    .regex(/^([A-Za-z0-9_.:-]+)?$/)
    .optional(),
})

const scopeList = () =>
  vine
    .array(vine.enum([...validScopes]))
    .minLength(1)
    .maxLength(validScopes.length * 2)

/** GET /api/meeting-api-keys?meeting= (api.md §6.22) */
export const listApiKeysValidator = vine.create({
  meeting: vine.number().withoutDecimals().positive(),
})

/** POST /api/meeting-api-keys (api.md §6.22) */
export const createApiKeyValidator = vine.create({
  meeting: vine.number().withoutDecimals().positive(),
  name: vine.string().trim().minLength(1).maxLength(100),
  scopes: scopeList(),
})

/** The admin form: scopes come as checkboxes. */
export const adminCreateApiKeyValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  scopes: scopeList(),
})

/** GET /api/token-api/invites (api.md §6.23): comma = OR within a parameter, parameters AND. */
export const tokenInviteListValidator = vine.create({
  email: vine.string().trim().maxLength(5000).optional(),
  swedish_ssn: vine.string().trim().maxLength(5000).optional(),
  member_id: vine.string().trim().maxLength(5000).optional(),
  roles: vine
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
  state: vine
    .string()
    .regex(/^(open|accepted|rejected|revoked|expired)(,(open|accepted|rejected|revoked|expired))*$/)
    .optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
  per_page: vine.number().withoutDecimals().min(1).max(500).optional(),
})

/** POST /api/token-api/invites/{id}/add-roles and remove-roles */
export const tokenInviteRolesValidator = vine.create({
  roles: vine.array(vine.string().trim().minLength(1).maxLength(40)).minLength(1).maxLength(10),
})
