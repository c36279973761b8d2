//! Independent jobs on a few threads, results in job order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to every job on up to as many threads as there are cores
/// (at most 4), results in job order. Each job's work is a pure function of
/// the job, so results and their order do not depend on the threads.
pub fn map<J: Sync, R: Send>(jobs: &[J], work: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
        .min(jobs.len());
    if threads <= 1 {
        return jobs.iter().map(work).collect();
    }
    // Jobs differ in size: each thread takes the next job when it is free
    // rather than a fixed share.
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(index) else {
                            return done;
                        };
                        done.push((index, work(job)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(done) => done,
                // A job panicked: fail as the serial loop would have.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}
