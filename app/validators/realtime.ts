import vine from '@vinejs/vine'

/** Realtime helper endpoints and Transmit routes (api.md §6.24, §7.1). */
const channel = () => vine.string().minLength(1).maxLength(200)
const uid = () =>
  vine
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)

export const snapshotValidator = vine.create({
  channel: channel(),
  sections: vine.string().maxLength(1000).optional(),
})

export const replayValidator = vine.create({
  channel: channel(),
  epoch: vine.string().minLength(1).maxLength(64),
  after: vine.number().withoutDecimals().min(0),
})

export const heartbeatValidator = vine.create({
  visible: vine.boolean(),
})

export const streamValidator = vine.create({ uid: uid() })

export const subscriptionValidator = vine.create({ uid: uid(), channel: channel() })

export const activeValidator = vine.create({ active: vine.boolean() })

export const purgeValidator = vine.create({
  hours: vine.number().withoutDecimals().min(0).max(72).optional(),
})
