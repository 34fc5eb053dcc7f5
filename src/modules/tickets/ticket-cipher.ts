import type { FieldCipher } from 'src/infrastructure/crypto/field-encryption';

/** Ticket text at rest (AES-256-GCM), each value bound to its row and field, so a ciphertext moved elsewhere fails. */
export const ticketCipher = (cipher: FieldCipher) => ({
  encryptSubject: (ticketId: string, text: string): string => cipher.encrypt(text, `ticket-subject:${ticketId}`),
  decryptSubject: (ticketId: string, value: string): string => cipher.decrypt(value, `ticket-subject:${ticketId}`),
  encryptBody: (ticketId: string, text: string): string => cipher.encrypt(text, `ticket-body:${ticketId}`),
  decryptBody: (ticketId: string, value: string): string => cipher.decrypt(value, `ticket-body:${ticketId}`),
  encryptReply: (replyId: string, text: string): string => cipher.encrypt(text, `ticket-reply:${replyId}`),
  decryptReply: (replyId: string, value: string): string => cipher.decrypt(value, `ticket-reply:${replyId}`),
  encryptNote: (noteId: string, text: string): string => cipher.encrypt(text, `ticket-note:${noteId}`),
  decryptNote: (noteId: string, value: string): string => cipher.decrypt(value, `ticket-note:${noteId}`),
});
