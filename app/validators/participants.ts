import vine from '@vinejs/vine'
import { TAG_PATTERN } from '#domain/components/registry'
import { MAX_NAMESPACES } from '#domain/participant_tags/tags'

/**
 * Participant tags and numbers (api.md §6.7). The shape of `tags` in `set`
 * (namespace → value or list) depends on the meeting's components, so the
 * action checks it (domain §15.4); here only that it is an object.
 */
export const setTagsValidator = vine.create({
  tags: vine.record(vine.any()),
})

export const removeNamespacesValidator = vine.create({
  ns: vine
    .array(vine.string().regex(TAG_PATTERN))
    .minLength(1)
    .maxLength(MAX_NAMESPACES)
    .distinct(),
})

export const participantNumbersQuery = vine.create({
  meeting: vine.number().withoutDecimals().positive(),
})
