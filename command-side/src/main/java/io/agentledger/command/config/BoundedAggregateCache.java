package io.agentledger.command.config;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.concurrent.ConcurrentMap;

/**
 * A bounded cache of aggregates (Caffeine, strongly referenced, least recently used out, idle entries expire), safe
 * with several command nodes without asking the store on every load:
 * <ul>
 *     <li>an entry is stored only once the transaction that appended its events committed (the outermost one: a
 *     command's unit of work may nest in a request's transaction), so it never holds events that were rolled
 *     back;</li>
 *     <li>an entry that another node made stale decides on old state: a command it accepts appends at a sequence
 *     number the store already has, collides on the (aggregate id, sequence number) key, Axon's caching repository
 *     evicts the entry on the rollback, and the command gateway retries on a fresh load;</li>
 *     <li>a command it refuses appends nothing, so nothing collides: {@link StaleRefusals} marks the units of work
 *     served from here and has their refusals re-checked on a fresh load before one is answered.</li>
 * </ul>
 */
final class BoundedAggregateCache implements Cache {

    /** Marks a unit of work whose aggregate came from this cache (a resource of the unit of work). */
    static final String SERVED_FROM_CACHE = BoundedAggregateCache.class.getName() + ".served";

    private final ConcurrentMap<Object, Object> entries;

    BoundedAggregateCache(long maximumSize, Duration expireAfterAccess) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterAccess(expireAfterAccess)
                .build().asMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        V entry = (V) entries.get(key);
        if (entry != null && CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().resources().put(SERVED_FROM_CACHE, Boolean.TRUE);
        }
        return entry;
    }

    @Override
    public void put(Object key, Object value) {
        entries.remove(key);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        entries.put(key, value);
                    } else {
                        entries.remove(key);
                    }
                }
            });
        } else {
            entries.put(key, value);
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        if (entries.containsKey(key)) {
            return false;
        }
        put(key, value);
        return true;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    /** Nothing in AgentLedger listens to aggregate cache entries; Axon's aggregate repositories do not. */
    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        throw new UnsupportedOperationException("the aggregate cache has no entry listeners");
    }
}
