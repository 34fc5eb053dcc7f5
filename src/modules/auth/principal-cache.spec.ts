import { Role } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import type { AppConfig } from 'src/config/app-config';
import { PrincipalCache } from './principal-cache';

const principal = (userId: string): Principal => ({ userId, role: Role.Client, sessionId: `s-${userId}`, apiTokenId: null, isVerified: false, rateTier: 'standard' });
const later = new Date(Date.now() + 3_600_000);

/** A cache that hears change notices (the listening connection is what the e2e test exercises). */
function listeningCache(): PrincipalCache {
  const cache = new PrincipalCache({ database: { kind: 'pglite', dataDir: 'memory://', poolSize: 1 } } as unknown as AppConfig);
  (cache as unknown as { listening: boolean }).listening = true;
  return cache;
}

describe('PrincipalCache', () => {
  it('serves what it stored, for that session and user only', () => {
    const cache = listeningCache();
    cache.store(cache.begin(), 's-1', principal('u-1'), later);
    expect(cache.get('s-1', 'u-1')).toMatchObject({ userId: 'u-1' });
    expect(cache.get('s-1', 'u-2')).toBeNull();
    expect(cache.get('s-2', 'u-1')).toBeNull();
  });

  it('does not store a lookup that a change notice overtook (read before the change, finished after it)', () => {
    const cache = listeningCache();
    const generation = cache.begin();
    cache.forgetUser('someone-else');
    cache.store(generation, 's-1', principal('u-1'), later);
    expect(cache.get('s-1', 'u-1')).toBeNull();
  });

  it('forgets every session of a changed user, and nothing of others', () => {
    const cache = listeningCache();
    cache.store(cache.begin(), 's-1', principal('u-1'), later);
    cache.store(cache.begin(), 's-2', principal('u-1'), later);
    cache.store(cache.begin(), 's-3', principal('u-2'), later);
    cache.forgetUser('u-1');
    expect([cache.get('s-1', 'u-1'), cache.get('s-2', 'u-1')]).toEqual([null, null]);
    expect(cache.get('s-3', 'u-2')).not.toBeNull();
  });

  it('never serves past the session’s expiry, and nothing while not listening', () => {
    const cache = listeningCache();
    cache.store(cache.begin(), 's-1', principal('u-1'), new Date(Date.now() - 1));
    expect(cache.get('s-1', 'u-1')).toBeNull();
    const deaf = new PrincipalCache({ database: { kind: 'pglite', dataDir: 'memory://', poolSize: 1 } } as unknown as AppConfig);
    deaf.store(deaf.begin(), 's-1', principal('u-1'), later);
    expect(deaf.get('s-1', 'u-1')).toBeNull();
    expect(deaf.active).toBe(false);
  });
});
