package io.agentledger.command.config;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.reflect.Field;
import java.util.Objects;

/**
 * An aggregate cache that is never stale, so it is safe with several command nodes: an entry is only handed out when
 * the event store's last sequence number of that aggregate is still the one the entry was built at (one index-only
 * query, inside the command's transaction). Otherwise it is dropped and Axon loads the aggregate from the store.
 * What a node saves by it is reading the snapshot and the events and deserializing them for every command.
 * <p>
 * A write from another node between this check and the append is caught as before: the append collides on the
 * store's (aggregate id, sequence number) key, Axon's caching repository evicts the entry on the rollback, and the
 * command gateway retries the command on a fresh load. Claims stay serialized by that key alone; no row lock.
 */
final class VerifiedAggregateCache implements Cache {

    private static final Field VERSION = versionField();

    private final Cache entries = new WeakReferenceCache();
    private final JdbcTemplate jdbc;

    VerifiedAggregateCache(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public <K, V> V get(K key) {
        V entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        Long cachedAt = versionOf(entry);
        Long head = jdbc.queryForObject("SELECT max(sequence_number) FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?", Long.class, key.toString());
        if (cachedAt == null || !Objects.equals(cachedAt, head)) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key);
    }

    @Override
    public void removeAll() {
        entries.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        return entries.registerCacheEntryListener(listener);
    }

    private static Long versionOf(Object entry) {
        if (VERSION == null || !(entry instanceof AggregateCacheEntry<?>)) {
            return null;
        }
        try {
            return (Long) VERSION.get(entry);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /** Axon keeps the version an entry was cached at private; without it nothing is ever served from the cache. */
    private static Field versionField() {
        try {
            Field version = AggregateCacheEntry.class.getDeclaredField("version");
            version.setAccessible(true);
            return version;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
