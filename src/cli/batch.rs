//! Parallel batches with ordered output and bounded memory: workers claim chunks of
//! consecutive inputs, and the caller's sink receives results in input order while at most
//! a small window of finished chunks waits. Never the corpus: a few chunks of results.
//!
//! Handing results over one chunk at a time (not one document at a time) keeps the
//! threads from waking each other per document; the calling thread works too, so `-j 2`
//! runs two threads on two cores rather than three; back-pressure blocks on a condition
//! variable instead of spinning.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

/// The number of worker threads: `requested`, or every core when 0.
pub fn threads(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Runs `work(i)` for `i` in `0..count` on `threads` threads (the caller's included) and
/// hands each result to `sink` in order; at most a small window of chunks is claimed ahead
/// of the sink. `work(i)` makes item `i` itself when it runs, so a long list of inputs need
/// not exist as items all at once.
pub fn run_indexed<T, W, S>(count: usize, threads: usize, work: W, mut sink: S)
where
    T: Send,
    W: Fn(usize) -> T + Sync,
    S: FnMut(usize, T),
{
    let threads = threads.max(1).min(count.max(1));
    if threads == 1 {
        for i in 0..count {
            sink(i, work(i));
        }
        return;
    }
    let plan = Plan::new(count, threads);
    let shared = Shared::new();
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let (plan, shared, work) = (&plan, &shared, &work);
            scope.spawn(move || {
                let _stop = StopOnDrop(shared);
                while let Some(chunk) = shared.claim(plan) {
                    let results = run_chunk(plan, chunk, work);
                    shared.deliver(chunk, results);
                }
            });
        }
        let _stop = StopOnDrop(&shared);
        for chunk in 0..plan.chunks {
            let results = loop {
                match shared.next_step(&plan, chunk) {
                    Step::Sink(results) => break results,
                    Step::Work(claimed) => {
                        let results = run_chunk(&plan, claimed, &work);
                        if claimed == chunk {
                            break results;
                        }
                        shared.deliver(claimed, results);
                    }
                    // A worker panicked; the scope re-raises its panic when it joins.
                    Step::Stopped => return,
                }
            };
            let start = chunk * plan.size;
            for (k, result) in results.into_iter().enumerate() {
                sink(start + k, result);
            }
            shared.sunk(chunk);
        }
    });
}

/// How the items are cut: `chunks` chunks of `size` consecutive items (the last shorter),
/// and how many chunks may be claimed beyond the one the sink waits for.
struct Plan {
    items: usize,
    size: usize,
    chunks: usize,
    window: usize,
}

impl Plan {
    fn new(items: usize, threads: usize) -> Plan {
        // About 32 chunks per thread, so the last chunks still spread over every thread,
        // but no more than 16 items a chunk, so that the window of finished results stays
        // small (documents can be large).
        let size = (items / (threads * 32)).clamp(1, 16);
        Plan {
            items,
            size,
            chunks: items.div_ceil(size),
            window: 3 * threads,
        }
    }
}

fn run_chunk<T, W: Fn(usize) -> T>(plan: &Plan, chunk: usize, work: &W) -> Vec<T> {
    let start = chunk * plan.size;
    let end = (start + plan.size).min(plan.items);
    (start..end).map(work).collect()
}

/// What the calling thread does next.
enum Step<T> {
    /// The chunk the sink waits for is ready.
    Sink(Vec<T>),
    /// Process this chunk (possibly the one the sink waits for).
    Work(usize),
    Stopped,
}

struct State<T> {
    /// The next chunk nobody has claimed yet.
    next: usize,
    /// The chunk the sink waits for; chunks before it have been sunk.
    sinking: usize,
    /// Finished chunks not yet sunk (at most `window`).
    ready: BTreeMap<usize, Vec<T>>,
    /// A thread ended early (a panic): everyone stops.
    stopped: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Signalled when a chunk is delivered (the caller may be waiting for it).
    delivered: Condvar,
    /// Signalled when the sink advances (workers may be waiting for room).
    room: Condvar,
}

impl<T> Shared<T> {
    fn new() -> Shared<T> {
        Shared {
            state: Mutex::new(State {
                next: 0,
                sinking: 0,
                ready: BTreeMap::new(),
                stopped: false,
            }),
            delivered: Condvar::new(),
            room: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A panic never happens while the lock is held (no user code runs under it), so a
        // poisoned lock still holds consistent state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A worker's next chunk, waiting while the window is full; `None` when all are
    /// claimed or the batch stopped.
    fn claim(&self, plan: &Plan) -> Option<usize> {
        let mut state = self.lock();
        loop {
            if state.stopped || state.next >= plan.chunks {
                return None;
            }
            if state.next < state.sinking + plan.window {
                state.next += 1;
                return Some(state.next - 1);
            }
            state = self.room.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The caller's next step while the sink waits for `chunk`: take it if ready, else
    /// work on an unclaimed chunk, else wait for a delivery.
    fn next_step(&self, plan: &Plan, chunk: usize) -> Step<T> {
        let mut state = self.lock();
        loop {
            if state.stopped {
                return Step::Stopped;
            }
            if let Some(results) = state.ready.remove(&chunk) {
                return Step::Sink(results);
            }
            if state.next < plan.chunks && state.next < state.sinking + plan.window {
                state.next += 1;
                return Step::Work(state.next - 1);
            }
            state = self
                .delivered
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    fn deliver(&self, chunk: usize, results: Vec<T>) {
        let mut state = self.lock();
        state.ready.insert(chunk, results);
        // Only the caller waits for deliveries, and only for the chunk it sinks next.
        if chunk == state.sinking {
            self.delivered.notify_one();
        }
    }

    /// The sink has consumed `chunk`: there is room for one more chunk in the window.
    fn sunk(&self, chunk: usize) {
        self.lock().sinking = chunk + 1;
        self.room.notify_all();
    }
}

/// Marks the batch stopped when a thread leaves, so that a panic in one thread never
/// leaves another waiting for ever. After a normal run it is a no-op: every chunk was
/// claimed and sunk.
struct StopOnDrop<'a, T>(&'a Shared<T>);

impl<T> Drop for StopOnDrop<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().stopped = true;
            self.0.delivered.notify_all();
            self.0.room.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(n: u64, threads: usize) -> Vec<(usize, u64)> {
        let mut seen = Vec::new();
        run_indexed(
            n as usize,
            threads,
            |i| 2 * i as u64,
            |i, r| seen.push((i, r)),
        );
        seen
    }

    fn assert_in_order(seen: &[(usize, u64)], n: usize) {
        assert_eq!(seen.len(), n);
        for (i, (j, r)) in seen.iter().enumerate() {
            assert_eq!(i, *j);
            assert_eq!(*r, 2 * i as u64);
        }
    }

    #[test]
    fn results_arrive_in_order() {
        assert_in_order(&ordered(500, 4), 500);
    }

    #[test]
    fn no_items_no_calls() {
        for threads in [0, 1, 2, 8] {
            assert!(ordered(0, threads).is_empty());
        }
    }

    #[test]
    fn one_item_and_more_threads_than_items() {
        for (n, threads) in [(1, 1), (1, 4), (3, 8), (7, 64), (33, 2), (1000, 3)] {
            assert_in_order(&ordered(n, threads), n as usize);
        }
    }

    #[test]
    fn order_holds_when_early_items_are_slow() {
        // The first items take longest, so later chunks finish first and must wait.
        let mut seen = Vec::new();
        run_indexed(
            300,
            3,
            |x| {
                let x = x as u64;
                if x < 20 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                x * 2
            },
            |i, r| seen.push((i, r)),
        );
        assert_in_order(&seen, 300);
    }

    #[test]
    fn chunks_cover_every_item_once() {
        for (n, threads) in [(1, 2), (10, 2), (64, 2), (65, 2), (6448, 2), (251_287, 8)] {
            let plan = Plan::new(n, threads);
            assert!(plan.size >= 1 && plan.size <= 16);
            assert_eq!(plan.chunks, n.div_ceil(plan.size));
            assert!((plan.chunks - 1) * plan.size < n && n <= plan.chunks * plan.size);
        }
    }

    #[test]
    fn a_panicking_worker_does_not_hang_the_batch() {
        let outcome = std::panic::catch_unwind(|| {
            run_indexed(
                200,
                2,
                |x| {
                    assert!(x != 150, "boom");
                    x
                },
                |_, _| {},
            )
        });
        assert!(outcome.is_err());
    }
}
