// Solves a proof-of-work challenge off the main thread: the n in 0..maxnumber with
// SHA-256(salt + n) = challenge (hex), tried in batches.
interface Task {
  salt: string;
  challenge: string;
  maxnumber: number;
}

const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const encoder = new TextEncoder();

self.onmessage = async (e: MessageEvent<Task>) => {
  const { salt, challenge, maxnumber } = e.data;
  const batch = 500;
  for (let start = 0; start <= maxnumber; start += batch) {
    const n = Math.min(batch, maxnumber - start + 1);
    const hashes = await Promise.all(
      Array.from({ length: n }, (_, i) => crypto.subtle.digest('SHA-256', encoder.encode(salt + (start + i)))),
    );
    const hit = hashes.findIndex((h) => hex(h) === challenge);
    if (hit >= 0) {
      self.postMessage(start + hit);
      return;
    }
  }
  self.postMessage(-1);
};
