import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import OrganisationSigningKey from '#models/organisation_signing_key'
import { keyFingerprint, rawPublicKey } from '#domain/polls/bundle'

const PURPOSE = 'organisation-signing-key'

/**
 * Each organisation's Ed25519 key pair for result bundles (B-NEW-01,
 * api.md §11.3). Created on first use; the private key is stored encrypted
 * with the app's encryption service (APP_KEY) and never leaves the server.
 * Rotation (RotateSigningKey) retires the active key and creates a new one;
 * retired keys stay listed so bundles signed with them can still be checked.
 */
export async function activeSigningKey(organisationId: number): Promise<OrganisationSigningKey> {
  const existing = await OrganisationSigningKey.forOrganisation(organisationId)
    .where('active', true)
    .orderBy('id', 'desc')
    .first()
  if (existing) return existing
  return db.transaction(async (trx) => {
    // Serialise the first creation per organisation (two requests at once create one key).
    await trx.from('organisations').where('id', organisationId).forUpdate().first()
    const again = await OrganisationSigningKey.forOrganisation(organisationId)
      .where('active', true)
      .useTransaction(trx)
      .first()
    if (again) return again
    return createSigningKey(trx, organisationId)
  })
}

/** A fresh active key pair row (the caller holds the organisation row lock). */
export async function createSigningKey(
  trx: TransactionClientContract,
  organisationId: number
): Promise<OrganisationSigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  return OrganisationSigningKey.create(
    {
      organisationId,
      algorithm: 'Ed25519',
      publicKey: rawPublicKey(publicKey),
      privateKeyEncrypted: encryption.encrypt(pem, { purpose: PURPOSE }),
      active: true,
      retiredAt: null,
    },
    { client: trx }
  )
}

export function keyPair(key: OrganisationSigningKey): {
  privateKey: KeyObject
  publicKey: KeyObject
} {
  const pem = encryption.decrypt<string>(key.privateKeyEncrypted, PURPOSE)
  if (!pem) throw new Error('The signing key cannot be decrypted with this APP_KEY')
  const privateKey = createPrivateKey(pem)
  return { privateKey, publicKey: createPublicKey(privateKey) }
}

export function publicKeyPayload(key: OrganisationSigningKey) {
  return {
    algorithm: key.algorithm,
    public_key: key.publicKey,
    fingerprint: keyFingerprint(key.publicKey),
    created: key.createdAt.toUTC().toISO(),
    active: key.active,
    retired: key.retiredAt?.toUTC().toISO() ?? null,
  }
}
