//! Parallel batches with ordered output and bounded memory: workers take inputs in order,
//! and the caller's sink receives results in input order while at most a small window of
//! finished results waits. One document per worker is held at a time, never the corpus.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// The number of worker threads: `requested`, or every core when 0.
pub fn threads(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Runs `work` over `items` on `threads` threads and hands each result to `sink` in item
/// order. A worker never runs more than `4 * threads` items ahead of the sink.
pub fn run_ordered<I, T, W, S>(items: &[I], threads: usize, work: W, mut sink: S)
where
    I: Sync,
    T: Send,
    W: Fn(&I) -> T + Sync,
    S: FnMut(usize, T),
{
    let threads = threads.max(1).min(items.len().max(1));
    if threads == 1 {
        for (i, item) in items.iter().enumerate() {
            sink(i, work(item));
        }
        return;
    }
    let window = 4 * threads;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, T)>(window);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, done, work) = (&next, &done, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    // Back-pressure: wait while too far ahead of what the sink consumed.
                    while i >= done.load(Ordering::Acquire) + window {
                        std::thread::yield_now();
                    }
                    if tx.send((i, work(&items[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut expected = 0;
        for (i, result) in rx {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&expected) {
                sink(expected, result);
                expected += 1;
                done.store(expected, Ordering::Release);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_order() {
        let items: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        run_ordered(&items, 4, |x| x * 2, |i, r| seen.push((i, r)));
        assert_eq!(seen.len(), 500);
        for (i, (j, r)) in seen.iter().enumerate() {
            assert_eq!(i, *j);
            assert_eq!(*r, items[i] * 2);
        }
    }
}
