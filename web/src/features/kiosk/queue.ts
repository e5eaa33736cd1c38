// The scans an offline kiosk made, kept in IndexedDB until the server has them.

export interface KeptScan {
  id?: number;
  token: string;
  device: string;
  scanned_at: string;
}

const dbName = 'yoyaku-kiosk';
const store = 'scans';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(store, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB'));
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = fn(tx.objectStore(store));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB'));
    });
  } finally {
    db.close();
  }
}

export function keep(scan: KeptScan): Promise<IDBValidKey> {
  return run('readwrite', (s) => s.add(scan));
}

export function kept(): Promise<KeptScan[]> {
  return run('readonly', (s) => s.getAll() as IDBRequest<KeptScan[]>);
}

export async function forget(ids: number[]): Promise<void> {
  for (const id of ids) await run('readwrite', (s) => s.delete(id));
}
