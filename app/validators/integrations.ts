import vine from '@vinejs/vine'

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
})
