/**
 * Prints a scrypt hash for the users file: `echo -n 'secret' | npx tsx workloads/auth/src/hash-password.ts`.
 * The password is read from stdin so it never appears in the process list or shell history.
 */
import { text } from 'node:stream/consumers';
import { hashPassword } from './passwords';

const password = (await text(process.stdin)).replace(/\r?\n$/, '');
if (password.length < 8) {
  console.error('password must be at least 8 characters');
  process.exit(1);
}
console.log(await hashPassword(password));
