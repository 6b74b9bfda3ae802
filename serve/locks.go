package serve

import (
	"context"
	"sync"
)

// convLocks hands the messages of one conversation that reach this process
// to the backend's queue one at a time, in the order they arrived here; the
// queue then runs them in that order, one turn at a time, across replicas
// ("double texting").
type convLocks struct {
	mu sync.Mutex
	m  map[string]*convQueue
}

type convQueue struct {
	waiters []chan struct{}
}

func newConvLocks() *convLocks { return &convLocks{m: map[string]*convQueue{}} }

// lock waits for the conversation's turn. On success the caller must call
// the returned unlock once. An ended ctx while waiting gives up the place in
// the queue and returns ctx's error.
func (l *convLocks) lock(ctx context.Context, key string) (func(), error) {
	unlock := func() { l.unlock(key) }
	l.mu.Lock()
	q, busy := l.m[key]
	if !busy {
		l.m[key] = &convQueue{}
		l.mu.Unlock()
		return unlock, nil
	}
	ch := make(chan struct{})
	q.waiters = append(q.waiters, ch)
	l.mu.Unlock()
	select {
	case <-ch:
		return unlock, nil
	case <-ctx.Done():
		l.mu.Lock()
		for i, w := range q.waiters {
			if w == ch {
				q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
				l.mu.Unlock()
				return nil, ctx.Err()
			}
		}
		l.mu.Unlock()
		// The lock was handed over just as ctx ended: pass it on.
		l.unlock(key)
		return nil, ctx.Err()
	}
}

// unlock hands the conversation to the next waiter, in arrival order.
func (l *convLocks) unlock(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.m[key]
	if q == nil {
		return
	}
	if len(q.waiters) == 0 {
		delete(l.m, key)
		return
	}
	next := q.waiters[0]
	q.waiters = q.waiters[1:]
	close(next)
}
