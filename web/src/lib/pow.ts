// The proof-of-work challenge that sign-in, sign-up and password reset need (ALTCHA-compatible),
// solved invisibly in a worker; the answer goes into the request's `altcha` field.
import { api } from './api';

interface Challenge {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

export async function solveChallenge(): Promise<string> {
  const c = await api<Challenge>('GET', '/api/v1/challenge');
  const worker = new Worker(new URL('./pow.worker.ts', import.meta.url), { type: 'module' });
  try {
    const number = await new Promise<number>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<number>) => resolve(e.data);
      worker.onerror = () => reject(new Error('the challenge could not be solved'));
      worker.postMessage({ salt: c.salt, challenge: c.challenge, maxnumber: c.maxnumber });
    });
    if (number < 0) throw new Error('the challenge has no answer');
    const payload = { algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature };
    return btoa(JSON.stringify(payload));
  } finally {
    worker.terminate();
  }
}
